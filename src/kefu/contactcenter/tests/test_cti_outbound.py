"""Outbound dialling over the CTI's real doors: the switch's WebSocket (through the ASGI application) and HTTP.

An agent accepts a callback's preview on the desk API; the ``dial`` command reaches the connected switch
(pushed) or the polling one (``GET /cti/dials``); the switch reports ``dial.ringing`` and ``dial.answered``
and gets ``bridge`` back; bad outbound messages get the protocol's errors.
"""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from kefu.contactcenter.cti import api as cti_api
from kefu.contactcenter.cti import consumer as consumer_module
from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.models import Callback, Contact, Dial, Offer
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core.testing import JsonClient

from .cti_support import StubIvr, switch_token, websocket_communicator_class
from .desk_support import API, api_for, call, ready

WebsocketCommunicator = websocket_communicator_class()
EVENTS, DIALS = "/api/contactcenter/cti/events", "/api/contactcenter/cti/dials"


@pytest.fixture
def stub_adapter(monkeypatch):
    adapter = CtiAdapter(runtime=StubIvr())
    monkeypatch.setattr(consumer_module, "default_adapter", lambda: adapter)
    monkeypatch.setattr(cti_api, "default_adapter", lambda: adapter)
    return adapter


def callback_offered(cc) -> tuple[JsonClient, int]:
    """A caller of GEN asks for a callback; agent AG1 gets its preview."""
    cb = ct.callback_request(contact_id=call("13900000002", cc.q_general).pk)
    desk = api_for(cc.agents[0])
    ready(desk, "8001")
    route()
    offer = Offer.objects.get(state="pending", contact=cb.outbound_contact)
    return desk, offer.pk


def test_http_switch_polls_the_dial_reports_the_answer_and_gets_the_bridge(cc, stub_adapter):
    _staff, token = switch_token(cc.province)
    switch = JsonClient(token=token)
    desk, offer_id = callback_offered(cc)
    assert switch.get(DIALS).json() == {"commands": []}  # nothing is dialled on a preview

    state = desk.post(f"{API}/offers/{offer_id}/accept").json()
    assert state["contacts"][0]["state"] == "dialling" and state["contacts"][0]["direction"] == "out"
    assert state["dial"]["state"] == "dialling" and state["dial"]["number"] == "13900000002"
    [dial] = switch.get(DIALS).json()["commands"]
    d = Dial.objects.get()
    assert dial == {"type": "dial", "call_id": d.dial_id, "dial_id": d.dial_id, "to": "13900000002",
                    "caller_id": "10086", "purpose": "callback", "timeout": 30}

    r = switch.post(EVENTS, {"type": "dial.ringing", "dial_id": d.dial_id, "id": "r1"})
    assert r.status_code == 200 and r.json() == {"commands": []}
    assert desk.get(f"{API}/agent/me").json()["dial"]["state"] == "ringing"
    assert switch.get(DIALS).json() == {"commands": []}  # the switch has it
    r = switch.post(EVENTS, {"type": "dial.answered", "dial_id": d.dial_id})
    assert r.json() == {"commands": [{"type": "bridge", "call_id": d.dial_id, "dial_id": d.dial_id,
                                      "extension": "8001"}]}
    again = switch.post(EVENTS, {"type": "dial.answered", "dial_id": d.dial_id})
    assert again.json() == r.json()  # a repeated answer gets the same bridge, nothing else changes
    switch.post(EVENTS, {"type": "call.answered", "call_id": d.dial_id, "extension": "8001"})
    calls = switch.get(f"/api/contactcenter/cti/calls?call_id={d.dial_id}").json()
    assert calls[0]["state"] == "connected" and calls[0]["extension"] == "8001"
    state = desk.get(f"{API}/agent/me").json()
    assert state["contacts"][0]["state"] == "connected" and state["dial"]["outcome"] == "answered"
    assert Callback.objects.get().state == "done"

    switch.post(EVENTS, {"type": "call.ended", "call_id": d.dial_id})
    state = desk.get(f"{API}/agent/me").json()
    assert state["wrap_up"]["id"] == d.contact_id and state["session"]["state"] == "wrap_up"


def test_http_switch_reports_a_failure_and_the_desk_shows_it(cc, stub_adapter):
    _staff, token = switch_token(cc.province)
    switch = JsonClient(token=token)
    desk, offer_id = callback_offered(cc)
    desk.post(f"{API}/offers/{offer_id}/accept")
    d = Dial.objects.get()
    r = switch.post(EVENTS, {"type": "dial.failed", "dial_id": d.dial_id, "outcome": "answer_machine"})
    assert r.status_code == 200
    state = desk.get(f"{API}/agent/me").json()
    assert state["contacts"] == [] and state["wrap_up"] is None and state["session"]["state"] == "ready"
    assert state["dial"]["state"] == "failed" and state["dial"]["outcome"] == "answer_machine"
    assert state["dial"]["outcome_label"] == "答录机"
    cb = Callback.objects.get()
    assert cb.state == "waiting" and cb.last_outcome == "answer_machine"


def test_bad_outbound_messages_are_answered_with_the_protocols_errors(cc, stub_adapter):
    _staff, token = switch_token(cc.province)
    switch = JsonClient(token=token)
    r = switch.post(EVENTS, {"type": "dial.failed", "dial_id": "d-1", "outcome": "on_the_moon"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_message"
    assert r.json()["details"][0]["field"] == "outcome"
    r = switch.post(EVENTS, {"type": "dial.answered"})
    assert r.status_code == 400 and r.json()["details"][0]["field"] == "dial_id"
    r = switch.post(EVENTS, {"type": "dial.answered", "dial_id": "nobody-knows"})
    assert r.status_code == 404 and r.json()["code"] == "unknown_dial"
    r = switch.post(EVENTS, {"type": "dial", "dial_id": "x"})  # a command is not an event
    assert r.status_code == 400 and r.json()["code"] == "unknown_type" and "dial.failed" in r.json()["details"]["known"]




@pytest.fixture
def fresh_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.mark.usefixtures("transactional_db", "fresh_layer")
def test_a_connected_switch_is_pushed_the_dial_and_bridges_the_answer(cc, stub_adapter):
    _staff, token = switch_token(cc.province)
    desk, offer_id = callback_offered(cc)

    from kefu.asgi import application

    async def scenario():
        old = WebsocketCommunicator(application, "/ws/cti/")
        assert (await old.connect(timeout=10))[0]
        await old.send_json_to({"type": "hello", "token": token, "protocol": 1})
        assert (await old.receive_json_from(timeout=10)) == {"type": "welcome", "protocol": 1, "staff": "SW1"}
        comm = WebsocketCommunicator(application, f"/ws/cti/?token={token}")
        assert (await comm.connect(timeout=10))[0]
        assert (await comm.receive_json_from(timeout=10))["protocol"] == 2
        await database_sync_to_async(desk.post)(f"{API}/offers/{offer_id}/accept")
        dial = await comm.receive_json_from(timeout=10)
        assert dial["type"] == "dial" and dial["to"] == "13900000002" and dial["purpose"] == "callback"
        assert await old.receive_nothing(timeout=0.3)  # a protocol-1 switch is not sent what it cannot know
        await comm.send_json_to({"type": "dial.ringing", "dial_id": dial["dial_id"], "call_id": "pbx-9", "id": "e1"})
        await comm.send_json_to({"type": "dial.answered", "dial_id": dial["dial_id"], "id": "e2"})
        bridge = await comm.receive_json_from(timeout=10)
        assert bridge == {"type": "bridge", "call_id": "pbx-9", "dial_id": dial["dial_id"], "extension": "8001",
                          "re": "e2"}
        await comm.send_json_to({"type": "dial.failed", "dial_id": dial["dial_id"]})
        err = await comm.receive_json_from(timeout=10)
        assert err["type"] == "error" and err["code"] == "invalid_message"
        await comm.send_json_to({"type": "call.ended", "call_id": "pbx-9", "cause": "normal_clearing"})
        await comm.send_json_to({"type": "dial.ringing", "dial_id": "x" * 65, "id": "e3"})
        err = await comm.receive_json_from(timeout=10)
        assert err["code"] == "invalid_message" and err["re"] == "e3"  # the socket stays open
        await comm.disconnect()
        await old.disconnect()

    async_to_sync(scenario)()
    contact = Contact.objects.get(external_id="pbx-9")
    assert contact.direction == "out" and contact.answered_at and contact.state == "ended"
    assert Callback.objects.get().state == "done"


def test_supervisors_list_callbacks_with_their_attempts_and_pages_show_them(cc, stub_adapter):
    _staff, token = switch_token(cc.province)
    switch = JsonClient(token=token)
    desk, offer_id = callback_offered(cc)
    desk.post(f"{API}/offers/{offer_id}/accept")
    d = Dial.objects.get()
    switch.post(EVENTS, {"type": "dial.failed", "dial_id": d.dial_id, "outcome": "busy"})
    from kefu.core.testing import client_for, make_staff

    viewer = make_staff(org=cc.province, perms=["contactcenter.callback.view"], employee_no="SUP2")
    sup = api_for(viewer)
    page = sup.get("/api/contactcenter/callbacks?state=waiting").json()
    [row] = page["items"]
    assert row["number"] == "13900000002" and row["customer_name"] == "刘普通" and row["queue"] == "GEN"
    assert row["attempts"] == 1 and row["last_outcome"] == "busy" and row["last_outcome_label"] == "占线"
    assert row["state_label"] == "等待回电" and row["next_attempt_at"]
    assert sup.get("/api/contactcenter/callbacks?state=done").json()["items"] == []
    assert sup.get("/api/contactcenter/callbacks?state=nonsense").status_code == 400
    detail = sup.get(f"/api/contactcenter/callbacks/{row['id']}").json()
    [attempt] = detail["dials"]
    assert attempt["outcome"] == "busy" and attempt["agent"] == "AG1" and attempt["extension"] == "8001"
    assert sup.get("/api/contactcenter/callbacks/999999").status_code == 404
    assert sup.get("/api/contactcenter/callbacks/abc").status_code in (400, 404, 422)

    web = client_for(viewer)
    html = web.get("/contactcenter/callbacks/").content.decode()
    assert "13900000002" in html and "占线" in html
    html = web.get(f"/contactcenter/callbacks/{row['id']}/").content.decode()
    assert 'data-outcome="busy"' in html and "话务员1" in html
    from kefu.audit.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="contactcenter.callback", action="read").exists()
