"""Test helpers shared by every app's tests (fixtures live in conftest.py)."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.test import Client

_seq = itertools.count(1)

TEST_PASSWORD = "Secret12345x"


def make_org(*, code: str | None = None, name: str | None = None, kind: str = "province", parent=None,
             external_kind: str = ""):
    from kefu.orgs.services import org_create

    n = next(_seq)
    return org_create(actor="test", code=code or f"ORG{n}", name=name or f"Org {n}", kind=kind, parent=parent,
                      external_kind=external_kind)


def make_staff(*, org, perms=(), employee_no: str | None = None, name: str | None = None, role=None,
               position: str = "agent", team=None, is_super: bool = False, password: str = TEST_PASSWORD):
    """A staff member holding exactly ``perms`` (through a personal grant)."""
    from kefu.iam.services.roles import role_create, staff_grant
    from kefu.iam.services.staff import staff_create

    n = next(_seq)
    if is_super and role is None:
        role = role_create(actor="test", name=f"super-{n}", is_super=True)
    staff = staff_create(
        actor="test", employee_no=employee_no or f"T{n:05d}", name=name or f"测试{n}", password=password,
        org=org, role=role, position=position, team=team, validate=False,
    )
    if perms:
        staff_grant(actor="test", staff=staff, codes=list(perms))
    return staff


def client_for(staff) -> Client:
    c = Client()
    c.force_login(staff)
    return c


class JsonClient:
    """Thin JSON wrapper around Django's test client for API tests."""

    def __init__(self, client: Client | None = None, token: str | None = None):
        self.client = client or Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _send(self, method, path, data=None, **extra):
        kwargs = dict(self.headers, **extra)
        if data is not None and not isinstance(data, str | bytes):
            data = json.dumps(data)
        fn = getattr(self.client, method)
        if method in ("get", "delete") and data is None:
            return fn(path, **kwargs)
        return fn(path, data=data, content_type="application/json", **kwargs)

    def get(self, path, params=None, **extra):
        return self.client.get(path, params or {}, **dict(self.headers, **extra))

    def post(self, path, data=None, **extra):
        return self._send("post", path, data if data is not None else {}, **extra)

    def put(self, path, data=None, **extra):
        return self._send("put", path, data if data is not None else {}, **extra)

    def patch(self, path, data=None, **extra):
        return self._send("patch", path, data if data is not None else {}, **extra)

    def delete(self, path, **extra):
        return self._send("delete", path, **extra)


# --- Denial tables ---------------------------------------------------------------------------------------
#
# Every door of Kefu (an API operation or a UI view) is a row in its app's ``tests/test_denial.py``. The row
# says how to call the door and what it needs; ``check_door`` then proves, in one go:
#
#   anonymous                              → API 401 {code: not_authenticated} (also with an unknown token);
#                                            UI redirect to the login page
#   logged in without the permission       → 403 (also without each one of several codes that are all needed,
#                                            and for an empty body: permission comes before validation)
#   with the permission, object outside     → 404, answered exactly like an id that does not exist
#     the caller's organisation scope
#   with the permission, in scope          → 2xx (API: called with the person's API token, as integrations
#                                            do; UI: 2xx or a redirect that is not the login page, with no
#                                            error shown or flashed)
#
# ``core/tests/test_denial_coverage.py`` fails when an operation or URL pattern has no row, so a new door
# cannot ship without its denial test. The world (organisations, people, records) is built once per module
# inside a transaction; each row runs in a savepoint rolled back after it.

MISSING_ID = 987654321


@dataclass(frozen=True)
class Door:
    """One way in: ``method`` and ``path`` (``{key}`` placeholders name entries of the world).

    ``perms``: codes the caller needs (all of them, or one with ``any_of``); ``()`` = any logged-in person.
    ``body``: JSON body (API) or form data / query (UI); ``{key}`` strings inside it are filled from the
    world, or a callable ``body(world)``.
    ``outside``: placeholder → world key of a record outside the caller's branch; the door must answer it
    exactly like an id that does not exist (``missing`` overrides that value): a 404 for a record in the
    path, a 404 or a 400 on the field for one in the body (a page may also redirect with a message).
    ``org``: world key of the organisation the callers belong to (a city branch by default).
    ``actor``: world key of a staff member to use as the permitted caller (when the door needs one with
    state, e.g. the agent holding a contact); the world gives that person the row's permissions.
    ``prepare(world, caller)``: per-row setup run in the row's savepoint; returns extra placeholder values.
    ``status``: expected success statuses when not simply any 2xx.
    ``multipart``: send the body as a form (file uploads) also to the API.
    """

    method: str
    path: str
    perms: tuple[str, ...] = ()
    body: Any = None
    outside: dict[str, str] = field(default_factory=dict)
    missing: dict[str, Any] = field(default_factory=dict)
    any_of: bool = False
    org: str = "city"
    actor: str | None = None
    prepare: Callable[[dict, Any], dict] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    status: tuple[int, ...] = ()
    multipart: bool = False

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"


def door(method: str, path: str, *perms: str, **kw) -> Door:
    """Shorthand for a row: ``door("get", "/api/crm/customers/{customer}", "crm.customer.view", ...)``."""
    return Door(method=method, path=path, perms=perms, **kw)


def doors_params(doors):
    """``pytest.mark.parametrize`` arguments naming each row by method and path."""
    import pytest

    return [pytest.param(d, id=d.id) for d in doors]


def _value(v):
    return v.pk if hasattr(v, "pk") else v


def _fill(value, ids):
    if callable(value):
        return value(ids)
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole:
            return _value(ids[whole.group(1)])
        return re.sub(r"\{(\w+)\}", lambda m: str(_value(ids[m.group(1)])), value)
    if isinstance(value, list | tuple):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _send(d: Door, staff, ids):
    path, body = _fill(d.path, ids), _fill(d.body, ids)
    client = Client()
    if staff is not None:
        client.force_login(staff)
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in d.headers.items()}
    if d.is_api and not d.multipart:
        api = JsonClient(client)
        if d.method == "get":
            return api.get(path, body, **headers)
        if d.method == "delete":
            return api.delete(path, **headers)
        return getattr(api, d.method)(path, body, **headers)
    return getattr(client, d.method)(path, body or {}, **headers)


def _login_redirect(response) -> bool:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def _answer(response, ids_seen) -> tuple:
    """Status, code and message of an answer (a page: status, redirect and form errors), with the ids
    that differ between the two calls blanked."""
    def blank(text: str) -> str:
        for v in sorted({str(v) for v in ids_seen}, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(v)}(?!\w)", "<id>", text)
        return text

    if not response.get("Content-Type", "").startswith("application/json"):
        return (response.status_code, blank(response.get("Location", "")), blank(_page_errors(response)),
                blank(" | ".join(_flashed(response))))
    data = response.json()
    return response.status_code, data.get("code"), blank(str(data.get("message", "")))


def _page_errors(response) -> str:
    """The form errors and error messages shown on a page."""
    text = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', text, flags=re.S)
    return "; ".join(e.strip() for e in errors if e.strip())


def _flashed(response, *, errors_only: bool = False) -> list[str]:
    """The messages a page queued for the next one (a redirect after a form tells its outcome so)."""
    from django.contrib.messages import ERROR, get_messages

    request = getattr(response, "wsgi_request", None)
    if request is None:
        return []
    return [str(m) for m in get_messages(request) if not errors_only or m.level >= ERROR]


def _why(response) -> str:
    """The part of an answer that explains a failure: the JSON, or the form errors of a page."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.content.decode(errors="replace")[:500]
    return _page_errors(response)[:500] or response.content.decode(errors="replace")[:300]


def _token_for(staff) -> str:
    from kefu.iam.services.tokens import api_token_create

    return api_token_create(actor="test", name="denial", staff=staff)[1]


def check_door(d: Door, world: dict) -> None:
    """Run the four denial checks of one row (see the block comment above)."""
    org = world[d.org]
    held = d.perms[:1] if d.any_of else d.perms  # of several alternatives the first one must be enough
    actor = world[d.actor] if d.actor else make_staff(org=org, perms=held)
    ids = dict(world)
    if d.prepare is not None:
        ids.update(d.prepare(ids, actor))

    r = _send(d, None, ids)
    if d.is_api:
        assert r.status_code == 401, f"anonymous: {r.status_code} {_why(r)}"
        assert r.json()["code"] == "not_authenticated", r.content
        forged = replace(d, headers={**d.headers, "Authorization": "Bearer kefu_00000000_forged"})
        r = _send(forged, None, ids)
        assert r.status_code == 401, f"unknown API token: {r.status_code} {_why(r)}"
    else:
        assert _login_redirect(r), f"anonymous: {r.status_code} {r.get('Location')}"

    if d.perms:
        lacking = [()]
        if len(d.perms) > 1 and not d.any_of:
            lacking += [tuple(c for c in d.perms if c != code) for code in d.perms]
        for codes in lacking:
            r = _send(d, make_staff(org=org, perms=codes), ids)
            assert r.status_code == 403, f"holding only {codes}: {r.status_code} {_why(r)}"
            if d.is_api:
                assert r.json()["code"] == "permission_denied", r.content
        if d.is_api and d.body is not None and d.method != "get":
            # Permission before validation: without the right, even an empty body is a 403, never a 400
            # that lists the fields.
            r = _send(replace(d, body={}, multipart=False), make_staff(org=org), ids)
            assert r.status_code == 403, f"empty body without the permission: {r.status_code} {_why(r)}"

    if d.outside:
        outside_ids = dict(ids, **{k: ids[v] for k, v in d.outside.items()})
        missing_ids = dict(ids)
        for k in d.outside:
            missing_ids[k] = d.missing.get(k, MISSING_ID if isinstance(_value(ids[k]), int) else "ZZ00000000")
        seen = [_value(outside_ids[k]) for k in d.outside] + [_value(missing_ids[k]) for k in d.outside]
        r_out = _send(d, actor, outside_ids)
        r_missing = _send(d, actor, missing_ids)
        # A record named in the path is a 404; one named in the body may be a 400 on that field — either
        # way exactly the answer a nonexistent id gets.
        in_path = any("{" + k + "}" in d.path for k in d.outside)
        expected = (404,) if in_path else (400, 404) if d.is_api else (200, 302, 400, 404)
        assert r_out.status_code in expected, f"outside scope: {r_out.status_code} {_why(r_out)}"
        if not in_path and not d.is_api:
            assert _page_errors(r_out) or _flashed(r_out), "outside scope: a page without an error"
        assert _answer(r_out, seen) == _answer(r_missing, seen), (
            f"outside scope answers unlike a missing id: {_why(r_out)} / {_why(r_missing)}")

    if d.is_api:
        # The permitted call goes with an API token, as an integration makes it (the others use a session).
        r = _send(replace(d, headers={**d.headers, "Authorization": f"Bearer {_token_for(actor)}"}), None, ids)
    else:
        r = _send(d, actor, ids)
    if d.status:
        assert r.status_code in d.status, f"allowed: {r.status_code} {_why(r)}"
    elif d.is_api:
        assert 200 <= r.status_code < 300, f"allowed: {r.status_code} {_why(r)}"
    else:
        ok = 200 <= r.status_code < 300 or (300 <= r.status_code < 400 and not _login_redirect(r))
        assert ok, f"allowed: {r.status_code} {_why(r)}"
    if not d.is_api:
        refused = _flashed(r, errors_only=True) or ([_page_errors(r)] if d.method == "post" and _page_errors(r)
                                                    else [])
        assert not refused, f"allowed, but the page says: {refused}"


def denial_world(build: Callable[[], dict]):
    """A module-scoped ``world`` fixture: ``build()`` runs once, inside a transaction rolled back at the end.

    Each test that also asks for ``db`` runs in a savepoint of that transaction, so rows cannot see one
    another's writes.
    """
    import pytest
    from django.db import transaction

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            block = transaction.atomic()
            block.__enter__()
            try:
                yield build()
            finally:
                transaction.set_rollback(True)
                block.__exit__(None, None, None)

    return world


def denial_orgs() -> dict:
    """The organisations most worlds start from: a province, its Guangzhou branch and Shenzhen branch."""
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    city = make_org(code="GZ", name="广州分公司", kind="city", parent=province)
    other_city = make_org(code="SZ", name="深圳分公司", kind="city", parent=province)
    return {"province": province, "city": city, "other_city": other_city}


def api_operations():
    """``(path under /api, operation)`` of every mounted API operation, e.g. ``("/workorders/orders/{ref}", op)``.

    The one walk over the routers that the tests of guards, denial coverage, input rules and the OpenAPI
    document share.
    """
    from kefu.api import api

    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for op in path_view.operations:
                yield re.sub("/+", "/", f"/{bound.prefix}/{path}"), op


def models_in(annotation) -> list:
    """Every pydantic model reachable from a type annotation (lists, unions, nested fields), each once."""
    import typing

    found: list = []

    def walk(ann):
        if isinstance(ann, type) and hasattr(ann, "model_fields"):
            if ann in found:
                return
            found.append(ann)
            for field in ann.model_fields.values():
                walk(field.annotation)
            return
        for arg in typing.get_args(ann):
            walk(arg)

    walk(annotation)
    return found
