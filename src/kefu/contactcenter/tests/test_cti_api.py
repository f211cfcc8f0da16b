"""The CTI over HTTP: POST /api/contactcenter/cti/events and GET /api/contactcenter/cti/calls."""

import pytest

from kefu.contactcenter.cti import api as cti_api
from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.models import Contact
from kefu.core.testing import JsonClient, client_for, make_staff

from .cti_support import StubIvr, incoming, switch_token

EVENTS = "/api/contactcenter/cti/events"
CALLS = "/api/contactcenter/cti/calls"


@pytest.fixture(autouse=True)
def stub_adapter(monkeypatch):
    adapter = CtiAdapter(runtime=StubIvr())
    monkeypatch.setattr(cti_api, "default_adapter", lambda: adapter)
    return adapter


@pytest.fixture
def switch_api(cc):
    _staff, token = switch_token(cc.province)
    return JsonClient(token=token)


@pytest.fixture
def nobody_api(cc):
    return JsonClient(client_for(make_staff(org=cc.province, employee_no="NOBODY")))


@pytest.fixture
def admin_api(cc):
    return JsonClient(client_for(make_staff(org=cc.province, employee_no="ADMIN", is_super=True)))


@pytest.fixture
def unpermitted_switch_api(cc):
    _staff, token = switch_token(cc.province, perms=["contactcenter.desk.use"], employee_no="SW2")
    return JsonClient(token=token)


def test_events_need_a_token_or_login_and_the_permission(cc, anon_api, nobody_api, unpermitted_switch_api):
    assert anon_api.post(EVENTS, incoming("h-1")).status_code == 401
    assert JsonClient(token="kefu_00000000_wrong").post(EVENTS, incoming("h-1")).status_code == 401
    assert nobody_api.post(EVENTS, incoming("h-1")).status_code == 403
    r = unpermitted_switch_api.post(EVENTS, incoming("h-1"))
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert not Contact.objects.exists()


def test_a_switch_posts_events_and_gets_the_commands(switch_api):
    r = switch_api.post(EVENTS, incoming("h-2", caller="13900000001"))
    assert r.status_code == 200, r.content
    assert r.json() == {"commands": [
        {"type": "play", "call_id": "h-2", "text": "welcome"},
        {"type": "collect", "call_id": "h-2", "max_digits": 1, "timeout": 8, "terminator": ""}]}
    r = switch_api.post(EVENTS, {"type": "call.dtmf", "call_id": "h-2", "digits": "0"})
    assert r.json()["commands"][-1] == {"type": "queue", "call_id": "h-2", "queue": "VIP"}
    assert switch_api.post(EVENTS, {"type": "call.ended", "call_id": "h-2", "cause": "caller_hangup"}).json() == {
        "commands": []}
    contact = Contact.objects.get(external_id="h-2")
    assert contact.abandoned and contact.queue.code == "VIP"


def test_a_logged_in_person_with_the_permission_may_post_too(cc, admin_api):
    assert admin_api.post(EVENTS, incoming("h-3")).status_code == 200


def test_a_retried_incoming_gets_the_same_answer_and_no_second_contact(switch_api):
    first = switch_api.post(EVENTS, incoming("h-4")).json()
    assert switch_api.post(EVENTS, incoming("h-4")).json() == first
    assert Contact.objects.filter(external_id="h-4").count() == 1


@pytest.mark.parametrize("body, status, code", [
    ({"type": "call.incoming"}, 400, "invalid_message"),
    ({"type": "call.incoming", "call_id": "x" * 65}, 400, "invalid_message"),
    ({"type": "call.dtmf", "call_id": "h-5", "digits": "12x"}, 400, "invalid_message"),
    ({"type": "call.party"}, 400, "unknown_type"),
    ({"type": "call.dtmf", "call_id": "h-unknown", "digits": "1"}, 404, "unknown_call"),
])
def test_bad_events_get_a_clear_4xx(switch_api, body, status, code):
    r = switch_api.post(EVENTS, body)
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and r.json()["message"]


def test_a_body_that_is_not_json_is_400(switch_api):
    r = switch_api.post(EVENTS, "{nope")
    assert r.status_code == 400 and r.json()["code"] == "invalid"


def test_polling_call_states(switch_api, anon_api, nobody_api, unpermitted_switch_api):
    switch_api.post(EVENTS, incoming("h-6"))
    switch_api.post(EVENTS, {"type": "call.dtmf", "call_id": "h-6", "digits": "0"})
    assert anon_api.get(CALLS, {"call_id": "h-6"}).status_code == 401
    assert nobody_api.get(CALLS, {"call_id": "h-6"}).status_code == 403
    assert unpermitted_switch_api.get(CALLS, {"call_id": "h-6"}).status_code == 403
    r = switch_api.get(CALLS, {"call_id": ["h-6", "h-none"]})
    assert r.status_code == 200
    assert [(row["call_id"], row["state"], row["queue"]) for row in r.json()] == [
        ("h-6", "queued", "GEN"), ("h-none", "unknown", None)]


def test_polling_limits(switch_api):
    assert switch_api.get(CALLS).status_code == 400
    assert switch_api.get(CALLS, {"call_id": [f"c{i}" for i in range(101)]}).status_code == 400
    assert switch_api.get(CALLS, {"call_id": "x" * 65}).json()["code"] == "invalid_call_ids"
