"""The IVR API: denial for every endpoint, flows CRUD, versions, validation, test calls."""

import copy

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.ivr.default_flow import DEFINITION
from kefu.ivr.models import Flow

from .conftest import texts


@pytest.fixture
def api_for(center):
    def make(*perms):
        return JsonClient(client_for(make_staff(org=center.province, perms=perms)))

    return make


def _endpoints(center, session_id):
    f = center.flow.pk
    return [
        ("get", "/api/ivr/flows", None, "ivr.flow.view", 200),
        ("post", "/api/ivr/flows", {"hotline": "10010", "name": "新"}, "ivr.flow.edit", 201),
        ("get", f"/api/ivr/flows/{f}", None, "ivr.flow.view", 200),
        ("patch", f"/api/ivr/flows/{f}", {"name": "改名"}, "ivr.flow.edit", 200),
        ("get", f"/api/ivr/flows/{f}/versions", None, "ivr.flow.view", 200),
        ("get", f"/api/ivr/flows/{f}/versions/1", None, "ivr.flow.view", 200),
        ("post", f"/api/ivr/flows/{f}/versions", {"note": "n"}, "ivr.flow.edit", 201),
        ("post", "/api/ivr/validate", {"definition": DEFINITION}, "ivr.flow.view", 200),
        ("post", f"/api/ivr/flows/{f}/test-calls", {"caller": "13900000002"}, "ivr.flow.test", 201),
        ("post", f"/api/ivr/test-calls/{session_id}/input", {"digits": "1"}, "ivr.flow.test", None),
        ("post", f"/api/ivr/test-calls/{session_id}/timeout", None, "ivr.flow.test", None),
        ("post", f"/api/ivr/test-calls/{session_id}/end", None, "ivr.flow.test", None),
        ("delete", "/api/ivr/flows/{new}", None, "ivr.flow.edit", 204),
    ]


def _send(client, method, url, body):
    fn = getattr(client, method)
    return fn(url) if body is None and method in ("get", "delete") else fn(url, body)


def test_every_endpoint_denies_anonymous_and_unpermitted(center, anon_api, nobody_api):
    for method, url, body, _perm, _ok in _endpoints(center, 1):
        url = url.replace("{new}", "1")
        assert _send(anon_api, method, url, body).status_code == 401, url
        assert _send(nobody_api, method, url, body).status_code == 403, url


def test_every_endpoint_serves_its_permission(center, api_for):
    tester = api_for("ivr.flow.test")
    session = tester.post(f"/api/ivr/flows/{center.flow.pk}/test-calls", {"caller": "13900000001"}).json()["session"]
    new_id = None
    for method, url, body, perm, ok in _endpoints(center, session):
        client = tester if perm == "ivr.flow.test" else api_for(perm)
        if "{new}" in url:
            url = url.replace("{new}", str(new_id))
        r = _send(client, method, url, body)
        assert r.status_code == (ok or 200), (url, r.content)
        if method == "post" and url == "/api/ivr/flows":
            new_id = r.json()["id"]
        # The view permission alone does not allow writes.
        if perm == "ivr.flow.edit":
            assert _send(api_for("ivr.flow.view"), method, url, body).status_code == 403, url


def test_create_validates_and_refuses_duplicates(center, api_for):
    api = api_for("ivr.flow.edit")
    assert api.post("/api/ivr/flows", {"hotline": "10086", "name": "x"}).status_code == 409
    assert api.post("/api/ivr/flows", {"hotline": "1" * 33, "name": "x"}).status_code == 400
    assert api.post("/api/ivr/flows", {"hotline": "abc", "name": "x"}).status_code == 400
    bad = {"start": "a", "nodes": [{"id": "a", "type": "play", "text": "x", "next": "nowhere"}]}
    r = api.post("/api/ivr/flows", {"hotline": "10010", "name": "x", "definition": bad})
    assert r.status_code == 400 and r.json()["code"] == "invalid_flow"
    assert not Flow.objects.filter(hotline="10010").exists()  # nothing half-written


def test_publish_a_changed_draft_and_read_the_versions(center, api_for):
    api = api_for("ivr.flow.edit", "ivr.flow.view")
    draft = copy.deepcopy(DEFINITION)
    draft["nodes"][0]["text"] = "新版欢迎语"
    r = api.patch(f"/api/ivr/flows/{center.flow.pk}", {"draft": draft})
    assert r.status_code == 200 and r.json()["draft"]["nodes"][0]["text"] == "新版欢迎语"
    assert r.json()["definition"]["nodes"][0]["text"] != "新版欢迎语"
    r = api.post(f"/api/ivr/flows/{center.flow.pk}/versions", {"note": "改欢迎语"})
    assert r.status_code == 201 and r.json()["number"] == 2
    versions = api.get(f"/api/ivr/flows/{center.flow.pk}/versions").json()
    assert [v["number"] for v in versions] == [2, 1] and versions[0]["note"] == "改欢迎语"
    assert api.get(f"/api/ivr/flows/{center.flow.pk}/versions/9").status_code == 404
    assert api.get("/api/ivr/flows/99999").status_code == 404
    assert AuditEntry.objects.filter(object_type="ivr.flow", changes__version=[1, 2]).exists()


def test_publishing_an_invalid_definition_is_a_400_listing_the_problems(center, api_for):
    api = api_for("ivr.flow.edit")
    bad = copy.deepcopy(DEFINITION)
    bad["nodes"].append({"id": "orphan", "type": "hangup"})
    r = api.post(f"/api/ivr/flows/{center.flow.pk}/versions", {"definition": bad})
    assert r.status_code == 400 and r.json()["details"]["problems"] == ["从起始节点无法到达节点“orphan”。"]


def test_validate_reports_errors_and_warnings(center, api_for):
    api = api_for("ivr.flow.view")
    d = copy.deepcopy(DEFINITION)
    d["nodes"][-2]["queue"] = "NOQ"
    body = api.post("/api/ivr/validate", {"definition": d}).json()
    assert body["ok"] is True and body["warnings"] == ["队列“NOQ”（尚）不存在；来电将转入默认队列。"]
    body = api.post("/api/ivr/validate", {"definition": {"nodes": 3}}).json()
    assert body["ok"] is False and body["errors"]


def test_a_test_call_over_the_api_hears_the_bill(center, api_for):
    api = api_for("ivr.flow.test")
    r = api.post(f"/api/ivr/flows/{center.flow.pk}/test-calls", {"caller": "13900000001"})
    call = r.json()
    assert call["wait"] == "menu" and call["expect"]["max_digits"] == 1
    r = api.post(f"/api/ivr/test-calls/{call['session']}/input", {"digits": "1"})
    assert "您本月话费为 128.50 元" in texts(r.json()["commands"])
    assert api.post(f"/api/ivr/test-calls/{call['session']}/input", {"digits": "x"}).status_code == 400
    assert api.post(f"/api/ivr/test-calls/{call['session']}/input", {"digits": "1" * 33}).status_code == 400
    r = api.post(f"/api/ivr/test-calls/{call['session']}/end")
    assert r.json()["finished"] is True and r.json()["outcome"] == "hangup"
    other = api_for("ivr.flow.test")
    assert other.post(f"/api/ivr/test-calls/{call['session']}/input", {"digits": "1"}).status_code == 404
    assert api.post(f"/api/ivr/flows/{center.flow.pk}/test-calls", {"caller": "abc"}).status_code == 400


def test_deleting_a_flow_that_calls_used_is_a_409(center, api_for):
    api_for("ivr.flow.test").post(f"/api/ivr/flows/{center.flow.pk}/test-calls", {"caller": "13900000002"})
    assert api_for("ivr.flow.edit").delete(f"/api/ivr/flows/{center.flow.pk}").status_code == 409
