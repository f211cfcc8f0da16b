"""The parameter API: denial for every endpoint, values, errors, versions."""

import pytest

from kefu.core.testing import JsonClient, client_for
from kefu.params.selectors import param_raw

VIP = "sla.reply.vip"
VIEW, EDIT = "params.param.view", "params.param.edit"

ENDPOINTS = [
    ("get", "/api/params/", None, VIEW),
    ("get", f"/api/params/{VIP}", None, VIEW),
    ("put", f"/api/params/{VIP}", {"value": "6h"}, EDIT),
    ("post", f"/api/params/{VIP}/reset", {}, EDIT),
]


@pytest.mark.parametrize(("method", "path", "body", "perm"), ENDPOINTS)
def test_every_endpoint_denies_anonymous_and_unpermitted(method, path, body, perm, anon_api, nobody_api,
                                                         staff_factory):
    def call(api):
        return getattr(api, method)(path) if body is None else getattr(api, method)(path, body)

    r = call(anon_api)
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    r = call(nobody_api)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert param_raw(VIP) == 28800
    r = call(JsonClient(client_for(staff_factory(perm))))
    assert r.status_code == 200, r.content


def test_view_permission_does_not_allow_editing(staff_factory):
    viewer = JsonClient(client_for(staff_factory(VIEW)))
    assert viewer.put(f"/api/params/{VIP}", {"value": "6h"}).status_code == 403


def test_list_shows_definitions_with_values(admin_api):
    body = admin_api.get("/api/params/", {"group": "sla", "page_size": 100}).json()
    items = {i["key"]: i for i in body["items"]}
    vip = items[VIP]
    assert vip["type"] == "duration" and vip["value"] == 28800 and vip["display"] == "8h"
    assert vip["default"] == 28800 and vip["default_display"] == "8h" and vip["is_default"]
    assert vip["min_display"] == "1m" and vip["max_display"] == "30d"
    assert vip["version"] == 0 and vip["label"] and vip["description"]
    assert all(i["group"] == "sla" for i in body["items"])
    everything = admin_api.get("/api/params/", {"page_size": 100}).json()
    assert "iam.login.max_failures" in {i["key"] for i in everything["items"]}


def test_set_accepts_text_or_seconds_and_reports_who(admin_api):
    r = admin_api.put(f"/api/params/{VIP}", {"value": "6h", "version": 0})
    assert r.status_code == 200
    assert r.json()["value"] == 21600 and r.json()["display"] == "6h" and r.json()["version"] == 1
    assert r.json()["updated_by"] == "admin" and not r.json()["is_default"]
    r = admin_api.put(f"/api/params/{VIP}", {"value": 18000})
    assert r.json()["display"] == "5h"
    assert param_raw(VIP) == 18000


@pytest.mark.parametrize(("value", "fragment"), [
    ("abc", "is not a duration"), ("10s", "at least 1m"), (True, "duration"), (None, ""), (1.5, ""),
    ("x" * 1001, ""),
])
def test_invalid_values_are_a_clear_400(admin_api, value, fragment):
    r = admin_api.put(f"/api/params/{VIP}", {"value": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert fragment in r.json()["message"]
    assert param_raw(VIP) == 28800


def test_the_reason_is_in_the_callers_language(admin_api):
    r = admin_api.put(f"/api/params/{VIP}", {"value": "abc"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 400 and "8h" in r.json()["message"] and "duration" not in r.json()["message"]


def test_stale_version_is_409(admin_api):
    admin_api.put(f"/api/params/{VIP}", {"value": "6h", "version": 0})
    r = admin_api.put(f"/api/params/{VIP}", {"value": "7h", "version": 0})
    assert r.status_code == 409 and r.json()["code"] == "stale"
    r = admin_api.post(f"/api/params/{VIP}/reset", {"version": 0})
    assert r.status_code == 409
    assert param_raw(VIP) == 21600


def test_reset(admin_api):
    admin_api.put(f"/api/params/{VIP}", {"value": "6h"})
    r = admin_api.post(f"/api/params/{VIP}/reset", {"version": 1})
    assert r.status_code == 200 and r.json()["value"] == 28800 and r.json()["is_default"]
    assert r.json()["version"] == 2
    admin_api.put(f"/api/params/{VIP}", {"value": "6h"})
    bare = admin_api.client.post(f"/api/params/{VIP}/reset", data=b"", content_type="application/json")
    assert bare.status_code == 200 and bare.json()["is_default"]  # the version is optional


def test_unknown_key_is_404(admin_api):
    assert admin_api.get("/api/params/no.such").status_code == 404
    assert admin_api.put("/api/params/no.such", {"value": "1"}).status_code == 404
    assert admin_api.post("/api/params/no.such/reset", {}).status_code == 404


def test_integer_and_boolean_parameters(admin_api):
    r = admin_api.put("/api/params/iam.login.max_failures", {"value": 3})
    assert r.status_code == 200 and r.json()["value"] == 3
    r = admin_api.put("/api/params/iam.login.max_failures", {"value": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "at least 1" in r.json()["message"]
