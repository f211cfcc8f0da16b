"""Bad input never reaches the database and never becomes a server error.

Each class of input that once gave a 500 (found by fuzzing the API) is refused
in one place; these tests prove the class is closed at that place, through
endpoints of several apps (see docs/decisions/0018-api-input-hardening.md).
"""

import json
import re

import pytest

from kefu.core.testing import client_for, models_in


def _is_json_error(r, status, code=None):
    assert r.status_code == status, (r.status_code, r.content[:300])
    assert r["Content-Type"].startswith("application/json"), r["Content-Type"]
    body = json.loads(r.content)
    assert set(body) == {"code", "message", "details"}, body
    if code:
        assert body["code"] == code, body
    return body


# --- 1. NUL characters -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/api/crm/customers?name=a%00",
    "/api/iam/staff?q=a%00",
    "/api/audit/entries?text=a%00",
    "/api/knowledge/articles?q=%00",
    "/api/workorders/orders?serial=a%00",
    "/api/workorders/orders/ZX%00",
    "/api/params/a%00b",
    "/api/crm/customers?na%00me=x",
])
def test_nul_in_query_or_path_is_refused_with_400_json(admin_api, path):
    body = _is_json_error(admin_api.get(path), 400, "invalid")
    assert body["details"]["location"] in ("query", "path")


@pytest.mark.parametrize("path, payload", [
    ("/api/crm/customers", {"name": "a\x00b", "certificate_no": "x"}),
    ("/api/iam/skill-groups", {"code": "g1", "name": "组\x00"}),
    ("/api/orgs/", {"code": "X1", "name": "n", "kind": "city", "parent_id": None, "phone": "\x00"}),
    ("/api/workorders/templates", {"kind": "complaint", "name": "t", "definition": {"states": ["\x00"]}}),
    # A JSON document held in a string: its own escape would become a NUL when parsed later.
    ("/api/ivr/validate", {"definition": json.dumps({"name": "\x00"})}),
    # A key, not a value.
    ("/api/workorders/orders", {"kind": "complaint", "title": "t", "fields": {"a\x00": "b"}}),
])
def test_nul_in_a_json_body_is_refused_with_400_json(admin_api, path, payload):
    raw = json.dumps(payload)
    assert "\\u0000" in raw  # the escaped form a JSON client sends
    body = _is_json_error(admin_api.post(path, raw), 400, "invalid")
    assert body["details"] == {"location": "body"}


def test_a_raw_nul_byte_in_a_json_body_is_refused(admin_api):
    raw = b'{"code": "g2", "name": "a\x00"}'
    body = _is_json_error(admin_api.post("/api/iam/skill-groups", raw), 400, "invalid")
    assert body["details"] == {"location": "body"}


def test_an_escaped_backslash_before_u0000_is_still_refused(admin_api):
    # "\\u0000" is the text backslash-u0000; refusing it costs nothing and closes nested JSON at any depth.
    r = admin_api.post("/api/iam/skill-groups", '{"code": "g3", "name": "a\\\\u0000"}')
    _is_json_error(r, 400, "invalid")


def test_ordinary_text_passes(admin_api):
    r = admin_api.post("/api/iam/skill-groups", {"code": "g4", "name": "宽带 u0000 \\ 组"})
    assert r.status_code == 201, r.content


def test_nul_in_a_ui_path_or_form_is_a_plain_400_page(admin):
    c = client_for(admin)
    r = c.get("/workorders/ZX%00/")
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/html")
    r = c.post("/orgs/new/", {"code": "X9", "name": "a\x00"})
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/html")
    r = c.get("/crm/", {"q": "a\x00"})
    assert r.status_code == 400


def test_nul_in_a_header_is_refused(admin_api):
    _is_json_error(admin_api.get("/api/iam/staff", HTTP_USER_AGENT="probe\x00"), 400, "invalid")


def test_nul_in_a_multipart_field_is_refused_but_binary_files_pass(admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(admin)
    r = c.post("/api/workorders/orders/1/attachments", {"note": "a\x00"})
    assert _is_json_error(r, 400, "invalid")["details"] == {"location": "body"}
    upload = SimpleUploadedFile("blob.bin", b"\x00\x01\x02", content_type="application/octet-stream")
    r = c.post("/api/workorders/orders/999999/attachments", {"file": upload})
    assert r.status_code == 404, r.content  # got past the NUL check to the order lookup


# --- 2. Pagination -----------------------------------------------------------------------------------------


def _api_operations():
    """(method, url, operation) of every mounted operation, path parameters filled with 1."""
    from kefu.core.testing import api_operations

    for path, op in api_operations():
        url = re.sub(r"\{(?:\w+:)?\w+\}", "1", "/api" + path)
        for method in op.methods:
            yield method, url, op


def _paginated_urls():
    urls = sorted({url for method, url, op in _api_operations()
                   if method == "GET" and any(m.__name__.endswith("Input") and "page" in m.model_fields
                                              for m in _page_models(op))})
    assert len(urls) > 15, urls
    return urls


def _page_models(op):
    for model in op.models:
        for field in model.model_fields.values():
            ann = field.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                yield ann


def test_every_paginated_list_uses_the_bounded_paginator():
    from ninja.pagination import PageNumberPagination

    from kefu.core.pagination import MAX_PAGE, Pagination

    for method, url, op in _api_operations():
        for model in _page_models(op):
            assert model is not PageNumberPagination.Input, f"{method} {url} pages with Ninja's unbounded Input"
            if "page" in model.model_fields:
                bounds = [m.le for m in model.model_fields["page"].metadata if getattr(m, "le", None)]
                assert bounds and bounds[0] <= MAX_PAGE, f"{method} {url}: page of {model.__qualname__} unbounded"
    assert Pagination.Input.model_fields["page"].metadata


@pytest.mark.parametrize("query", [
    {"page": "99999999999999999", "page_size": "500"},
    {"page": "0"},
    {"page": "-1"},
    {"page_size": "501"},
    {"page_size": "0"},
    {"page": "1e3"},
])
def test_page_out_of_range_is_400_on_every_paginated_list(admin_api, query):
    statuses = {}
    for url in _paginated_urls():
        r = admin_api.get(url, query)
        statuses[url] = r.status_code
        if r.status_code == 400:
            _is_json_error(r, 400, "invalid")
    assert set(statuses.values()) == {400}, {u: s for u, s in statuses.items() if s != 400}


def test_last_allowed_page_answers_an_empty_page(admin_api):
    from kefu.core.pagination import MAX_PAGE

    r = admin_api.get("/api/ivr/flows", {"page": str(MAX_PAGE), "page_size": "500"})
    assert r.status_code == 200, r.content
    assert r.json()["items"] == []


@pytest.mark.parametrize("page", ["99999999999999999", "-5", "0", "abc", "1e999", "9" * 5000, "nan", "\u0661"])
def test_ui_lists_never_fail_on_a_strange_page_number(admin, page):
    c = client_for(admin)
    for url in ("/iam/staff/", "/audit/", "/workorders/query/", "/knowledge/articles/"):
        r = c.get(url, {"page": page})
        assert r.status_code == 200, (url, page, r.status_code)


# --- 3. Date-times -----------------------------------------------------------------------------------------

BAD_DATETIMES = ["2026-01-01T00:00:00-22:51", "2026-01-01T00:00:00+15:00", "0001-01-01T00:00:00+08:00",
                 "9999-12-31T23:59:59-08:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59"]


@pytest.mark.parametrize("value", BAD_DATETIMES)
@pytest.mark.parametrize("url, name", [
    ("/api/contactcenter/contacts", "until"),
    ("/api/contactcenter/contacts", "since"),
    ("/api/workorders/orders", "created_from"),
    ("/api/workorders/orders", "created_to"),
    ("/api/audit/entries", "since"),
    ("/api/audit/entries", "until"),
])
def test_datetime_filters_out_of_range_are_400(admin_api, url, name, value):
    body = _is_json_error(admin_api.get(url, {name: value}), 400, "invalid")
    assert any(name in (d["field"] or "") for d in body["details"]), body


@pytest.mark.parametrize("value", BAD_DATETIMES)
def test_datetime_in_a_body_out_of_range_is_400(admin_api, value):
    r = admin_api.post("/api/iam/tokens", {"name": "t", "expires_at": value})
    _is_json_error(r, 400, "invalid")


def test_a_datetime_with_a_real_offset_is_read_correctly(admin_api):
    r = admin_api.get("/api/audit/entries", {"since": "2026-01-01T00:00:00+14:00",
                                             "until": "2026-01-01T00:00:00-12:00"})
    assert r.status_code == 200, r.content
    r = admin_api.get("/api/contactcenter/contacts", {"since": "2026-01-01T08:00:00"})
    assert r.status_code == 200, r.content


def _datetime_fields(annotation, path):
    """Paths of plain ``datetime`` annotations (not the shared ``DateTime``) inside ``annotation``."""
    import datetime as dt
    import typing

    from kefu.core.schemas import DATETIME_CHECK

    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if base is dt.datetime:
            return [] if any(m is DATETIME_CHECK for m in meta) else [path]
        return _datetime_fields(base, path)
    if annotation is dt.datetime:
        return [path]
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        found = []
        for name, field in annotation.model_fields.items():
            ann = field.annotation
            if field.metadata:
                ann = typing.Annotated[(ann, *field.metadata)]
            found += _datetime_fields(ann, f"{path}.{name}")
        return found
    return [hit for arg in typing.get_args(annotation) for hit in _datetime_fields(arg, path)]


def test_every_input_datetime_uses_the_shared_checked_type():
    plain = []
    for method, url, op in _api_operations():
        for model in op.models:
            plain += _datetime_fields(model, f"{method} {url} {model.__ninja_param_source__}")
    assert not plain, plain


# --- 4. Every API error is the JSON error format -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/nope", "/api/orgs/abc", "/api/iam/roles/1/nothing-here",
                                  "/api/workorders/"])
def test_unknown_api_url_is_404_json(admin_api, path):
    _is_json_error(admin_api.get(path), 404, "not_found")


def test_unknown_page_is_still_an_html_404(admin):
    r = client_for(admin).get("/nope/")
    assert r.status_code == 404 and not r["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("method, path", [("put", "/api/iam/roles"), ("delete", "/api/version"),
                                          ("patch", "/api/crm/customers"), ("options", "/api/iam/staff")])
def test_wrong_method_is_405_json_with_allow(admin_api, method, path):
    r = getattr(admin_api.client, method)(path)
    _is_json_error(r, 405, "method_not_allowed")
    assert r["Allow"]


def test_body_over_the_limit_is_413_json(admin_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = admin_api.post("/api/iam/skill-groups", {"code": "big", "name": "x" * 2000})
    _is_json_error(r, 413, "too_large")


def test_form_over_the_limit_on_a_page_is_413_not_json(admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = client_for(admin).post("/orgs/new/", {"code": "X9", "name": "x" * 2000})
    assert r.status_code == 413 and not r["Content-Type"].startswith("application/json")


def test_multipart_field_over_the_limit_is_413_json(admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = client_for(admin).post("/api/workorders/orders/1/attachments", {"note": "x" * 2000})
    _is_json_error(r, 413, "too_large")


def test_session_api_call_without_csrf_token_is_403_json(admin):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(admin)
    r = c.post("/api/iam/skill-groups", {"code": "g9", "name": "n"}, content_type="application/json")
    _is_json_error(r, 403, "csrf_failed")


def test_csrf_failure_view_answers_json_for_api_paths_and_a_page_otherwise(rf, settings):
    from django.utils.module_loading import import_string

    view = import_string(settings.CSRF_FAILURE_VIEW)
    _is_json_error(view(rf.post("/api/iam/staff"), reason="no token"), 403, "csrf_failed")
    page = view(rf.post("/iam/staff/new/"), reason="no token")
    assert page.status_code == 403 and not page["Content-Type"].startswith("application/json")


def test_a_crash_in_an_api_view_is_500_json(admin, monkeypatch):
    from django.test import Client

    from kefu.iam import selectors

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "role_list", boom)
    c = Client(raise_request_exception=False)
    c.force_login(admin)
    _is_json_error(c.get("/api/iam/roles"), 500, "server_error")


# --- 6. Permission before validation -----------------------------------------------------------------------

INVALID_REQUESTS = [
    ("post", "/api/crm/customers", {"name": 5}),
    ("post", "/api/iam/staff", {}),
    ("post", "/api/iam/skill-groups", "{not json"),
    ("patch", "/api/orgs/1", {"version": "x"}),
    ("post", "/api/workorders/orders", {"kind": []}),
    ("get", "/api/audit/entries?since=yesterday", None),
    ("get", "/api/contactcenter/contacts?queue_id=abc", None),
    ("get", "/api/ivr/flows?page=0", None),
    ("post", "/api/knowledge/articles", {"title": None}),
    ("put", "/api/params/sla.x", {"value": [1]}),
    ("get", "/api/crm/customers/abc", None),
    ("get", "/api/knowledge/search?q=", None),  # any one of several permissions
]


def _send(api, method, path, body):
    if method == "get":
        return api.client.get(path, **api.headers)
    return getattr(api, method)(path, body)


@pytest.mark.parametrize("method, path, body", INVALID_REQUESTS)
def test_without_the_permission_invalid_input_is_403_not_400(nobody_api, method, path, body):
    r = _send(nobody_api, method, path, body)
    _is_json_error(r, 403, "permission_denied")


@pytest.mark.parametrize("method, path, body", INVALID_REQUESTS)
def test_anonymous_invalid_input_is_401_not_400(anon_api, method, path, body):
    _is_json_error(_send(anon_api, method, path, body), 401, "not_authenticated")


@pytest.mark.parametrize("method, path, body", INVALID_REQUESTS)
def test_with_the_permission_invalid_input_is_still_400(admin_api, method, path, body):
    _is_json_error(_send(admin_api, method, path, body), 400, "invalid")


def test_a_typed_error_escaping_a_page_view_is_its_4xx_page_not_a_500(rf):
    from django.http import Http404

    from kefu.core.errors import NotFound, PermissionDenied
    from kefu.core.middleware import KefuErrorPagesMiddleware

    mw = KefuErrorPagesMiddleware(lambda r: None)
    request = rf.get("/workorders/suggestion-digests/9/")
    with pytest.raises(Http404):
        mw.process_exception(request, NotFound("gone"))
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    with pytest.raises(DjangoPermissionDenied):
        mw.process_exception(request, PermissionDenied("no"))
    assert mw.process_exception(request, ValueError("other")) is None


# --- 5. Accepted but wrong ---------------------------------------------------------------------------------


def test_every_request_body_schema_is_strict():
    from kefu.core.schemas import InputSchema

    lax = set()
    for method, url, op in _api_operations():
        for model in op.models:
            if model.__ninja_param_source__ not in ("body", "form"):
                continue
            for field in model.model_fields.values():
                for schema in models_in(field.annotation):
                    if not issubclass(schema, InputSchema):
                        lax.add(f"{schema.__module__}.{schema.__qualname__} ({method} {url})")
    assert not lax, sorted(lax)


@pytest.mark.parametrize("path, payload, field", [
    ("/api/workorders/orders", {"kind": "complaint", "title": "t", "customer_id": True}, "customer_id"),
    ("/api/iam/teams", {"name": "t", "org_id": True}, "org_id"),
    ("/api/iam/teams", {"name": "t", "org_id": 1.0}, "org_id"),
    ("/api/iam/teams", {"name": "t", "org_id": "1"}, "org_id"),
    ("/api/iam/grants/batch", {"codes": ["iam.grant"], "role_ids": [True]}, "role_ids.0"),
    ("/api/iam/roles", {"name": "r", "is_super": 1}, "is_super"),
    ("/api/iam/roles", {"name": "r", "is_super": "true"}, "is_super"),
    ("/api/iam/skill-groups", {"code": 12, "name": "n"}, "code"),
    ("/api/contactcenter/queues", {"code": "q", "name": "n", "org_id": 1, "sl_target_percent": 80.5}, None),
])
def test_json_types_are_not_coerced(admin_api, path, payload, field):
    body = _is_json_error(admin_api.post(path, payload), 400, "invalid")
    if field:
        assert f"payload.{field}" in [d["field"] for d in body["details"]], body


def test_text_forms_of_dates_times_and_amounts_still_read(admin_api, province):
    r = admin_api.post("/api/iam/tokens", {"name": "t", "expires_at": "2999-01-01T00:00:00+08:00"})
    assert r.status_code == 201, r.content
    r = admin_api.put(f"/api/workorders/calendars/{province.code}",
                      {"work_start": "09:00", "work_end": "18:00", "workdays": "12345"})
    assert r.status_code in (200, 201), r.content


@pytest.mark.parametrize("birth_date", ["0001-01-01", "1899-12-31", "2999-01-01"])
def test_a_birth_date_outside_1900_to_today_is_refused(admin_api, province, birth_date):
    r = admin_api.post("/api/iam/staff", {"employee_no": "B001", "name": "张三", "password": "Kefu-2026-secure",
                                          "org_id": province.pk, "birth_date": birth_date})
    body = _is_json_error(r, 400, "invalid")
    assert "payload.birth_date" in [d["field"] for d in body["details"]], body


def test_a_sane_birth_date_is_kept(admin_api, province):
    r = admin_api.post("/api/iam/staff", {"employee_no": "B002", "name": "张三", "password": "Kefu-2026-secure",
                                          "org_id": province.pk, "birth_date": "1990-05-01"})
    assert r.status_code == 201, r.content


@pytest.mark.parametrize("path", ["/api/crm/customers?org_id=99999999999999999999",
                                  "/api/iam/teams?org_id=99999999999999999999",
                                  "/api/orgs/99999999999999999999",
                                  "/api/crm/customers/99999999999999999999"])
def test_an_id_beyond_64_bits_is_never_a_server_error(admin, path):
    from django.test import Client

    c = Client(raise_request_exception=False)
    c.force_login(admin)
    r = c.get(path)
    assert r.status_code in (200, 400, 404), r.status_code
    if r.status_code != 200:
        _is_json_error(r, r.status_code)


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00-22:51", "0001-01-01T00:00:00", "9999-12-31 23:59"])
@pytest.mark.parametrize("path, name", [("/audit/", "since"), ("/contactcenter/contacts/", "until"),
                                        ("/workorders/query/", "created_from")])
def test_date_time_filters_of_the_pages_refuse_what_the_api_refuses(admin, path, name, value):
    from django.test import Client

    c = Client(raise_request_exception=False)
    c.force_login(admin)
    r = c.get(path, {name: value, "search": "1"})
    assert r.status_code in (200, 400), r.status_code  # the page with the form's errors
    assert b"1900" in r.content or "±14".encode() in r.content  # the field's message is shown


def test_every_form_date_field_is_the_bounded_one():
    from pathlib import Path

    import kefu

    root = Path(kefu.__file__).parent
    plain = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if "tests" in rel.parts or rel == Path("core/forms.py"):
            continue
        text = path.read_text()
        if "forms.DateTimeField(" in text or "forms.DateField(" in text:
            plain.append(str(rel))
    assert not plain, f"use kefu.core.forms.DateTimeField / DateField in {plain}"


def test_one_of_several_permissions_is_enough_to_hear_about_the_input(staff_factory):
    from kefu.core.testing import JsonClient

    editor = JsonClient(client_for(staff_factory("knowledge.article.edit")))
    _is_json_error(editor.client.get("/api/knowledge/articles?page=0"), 400, "invalid")


@pytest.mark.parametrize("value", ["09:00+08:00", "09:00Z"])
def test_a_time_of_day_with_a_zone_is_refused(admin_api, province, value):
    r = admin_api.put(f"/api/workorders/calendars/{province.code}", {"work_start": value, "work_end": "18:00"})
    body = _is_json_error(r, 400, "invalid")
    assert "payload.work_start" in [d["field"] for d in body["details"]]


def test_every_input_time_of_day_uses_the_shared_type():
    import datetime as dt
    import typing

    from kefu.core.schemas import Time

    check = typing.get_args(Time)[-1]
    plain = []
    for method, url, op in _api_operations():
        for model in op.models:
            for schema in models_in(model):
                for name, field in schema.model_fields.items():
                    bare = field.annotation is dt.time and check not in field.metadata
                    if bare or dt.time in typing.get_args(field.annotation):
                        plain.append(f"{method} {url} {schema.__qualname__}.{name}")
    assert not plain, plain


def test_too_many_fields_is_a_400_in_the_api_format(admin):
    from django.test import Client

    c = Client(raise_request_exception=False)
    c.force_login(admin)
    query = "&".join(f"f{i}=1" for i in range(1200))
    _is_json_error(c.get(f"/api/iam/staff?{query}"), 400, "invalid")
    page = c.get(f"/iam/staff/?{query}")
    assert page.status_code == 400 and not page["Content-Type"].startswith("application/json")


def test_json_posted_as_a_form_field_cannot_carry_an_escaped_nul(admin):
    # The template editor posts its definition as text that the server parses as JSON.
    c = client_for(admin)
    r = c.post("/workorders/templates/1/", {"definition": '{"name": "a\\u0000"}', "note": "x"})
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")
    r = c.get("/crm/", {"q": "\\u0000"})
    assert r.status_code == 400
