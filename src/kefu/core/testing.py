"""Test helpers shared by every app's tests (fixtures live in conftest.py)."""

from __future__ import annotations

import itertools
import json

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
