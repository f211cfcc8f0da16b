"""The switch's WebSocket (/ws/cti/) through the real ASGI application.

Database work in a consumer runs through ``database_sync_to_async``, which
closes connections between calls, so these tests use ``transactional_db``.
"""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync

from kefu.contactcenter.cti import consumer as consumer_module
from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.models import Contact
from kefu.contactcenter.services import realtime
from kefu.iam.models import ApiToken
from kefu.iam.services.tokens import api_token_revoke

from .cti_support import StubIvr, incoming, switch_token, websocket_communicator_class

WebsocketCommunicator = websocket_communicator_class()

pytestmark = pytest.mark.usefixtures("transactional_db")


def redis_layer(url):
    return {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                        "CONFIG": {"hosts": [url], "prefix": f"kefu-test-cti-{uuid.uuid4().hex[:8]}"}}}


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    """A new channel layer per test (a layer binds to one event loop): Redis when REDIS_URL says so."""
    url = os.environ.get("REDIS_URL")
    settings.CHANNEL_LAYERS = redis_layer(url) if url else {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def stub_adapter(monkeypatch):
    adapter = CtiAdapter(runtime=StubIvr())
    monkeypatch.setattr(consumer_module, "default_adapter", lambda: adapter)
    return adapter


@pytest.fixture
def switch(cc, stub_adapter):
    return switch_token(cc.province)


def run(scenario):
    async_to_sync(scenario)()


def socket(path="/ws/cti/", headers=None):
    from kefu.asgi import application

    return WebsocketCommunicator(application, path, headers=headers or [])


async def closed_with(comm):
    out = await comm.receive_output(timeout=10)
    return out.get("code") if out["type"] == "websocket.close" else out


def test_a_switch_with_a_token_in_the_url_sends_events_and_gets_commands(switch):
    _staff, token = switch

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}")
        connected, _ = await comm.connect(timeout=10)
        assert connected
        welcome = await comm.receive_json_from(timeout=10)
        assert welcome == {"type": "welcome", "protocol": 2, "staff": "SW1"}
        await comm.send_json_to(incoming("ws-1", id="m1"))
        play = await comm.receive_json_from(timeout=10)
        collect = await comm.receive_json_from(timeout=10)
        assert play == {"type": "play", "call_id": "ws-1", "text": "welcome", "re": "m1"}
        assert collect["type"] == "collect" and collect["call_id"] == "ws-1"
        await comm.send_json_to({"type": "call.dtmf", "call_id": "ws-1", "digits": "0"})
        assert (await comm.receive_json_from(timeout=10))["type"] == "play"
        assert await comm.receive_json_from(timeout=10) == {"type": "queue", "call_id": "ws-1", "queue": "GEN"}
        await comm.disconnect()

    run(scenario)
    assert Contact.objects.get(external_id="ws-1").state == "queued"


def test_a_switch_may_say_hello_or_use_the_authorization_header(switch):
    _staff, token = switch

    async def scenario():
        comm = socket()
        assert (await comm.connect(timeout=10))[0]
        await comm.send_json_to({"type": "hello", "token": token, "switch": "pbx-1", "id": "h"})
        assert (await comm.receive_json_from(timeout=10))["type"] == "welcome"
        await comm.send_json_to(incoming("ws-2"))
        assert (await comm.receive_json_from(timeout=10))["call_id"] == "ws-2"
        await comm.disconnect()
        comm = socket(headers=[(b"authorization", f"Bearer {token}".encode())])
        assert (await comm.connect(timeout=10))[0]
        assert (await comm.receive_json_from(timeout=10))["type"] == "welcome"
        await comm.disconnect()

    run(scenario)


def test_without_a_token_events_are_refused_and_the_socket_closed(switch):
    async def scenario():
        comm = socket()
        assert (await comm.connect(timeout=10))[0]
        await comm.send_json_to(incoming("ws-3"))
        err = await comm.receive_json_from(timeout=10)
        assert err["type"] == "error" and err["code"] == "not_authenticated"
        assert await closed_with(comm) == 4401

    run(scenario)
    assert not Contact.objects.exists()


def test_a_wrong_token_is_refused(switch):
    async def scenario():
        comm = socket("/ws/cti/?token=kefu_deadbeef_nope")
        assert (await comm.connect(timeout=10))[0]
        assert (await comm.receive_json_from(timeout=10))["code"] == "not_authenticated"
        assert await closed_with(comm) == 4401

    run(scenario)


def test_a_token_without_the_permission_is_refused(cc, stub_adapter):
    _staff, token = switch_token(cc.province, perms=["contactcenter.desk.use"], employee_no="NOPE")

    async def scenario():
        comm = socket()
        assert (await comm.connect(timeout=10))[0]
        await comm.send_json_to({"type": "hello", "token": token})
        err = await comm.receive_json_from(timeout=10)
        assert err["code"] == "permission_denied" and err["details"] == {"required": ["contactcenter.cti.connect"]}
        assert await closed_with(comm) == 4403

    run(scenario)


def test_a_revoked_token_stops_the_switch_at_its_next_event(switch):
    _staff, token = switch

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}")
        assert (await comm.connect(timeout=10))[0]
        await comm.receive_json_from(timeout=10)
        await _revoke()
        await comm.send_json_to(incoming("ws-4"))
        assert (await comm.receive_json_from(timeout=10))["code"] == "not_authenticated"
        assert await closed_with(comm) == 4401

    from channels.db import database_sync_to_async

    @database_sync_to_async
    def _revoke():
        api_token_revoke(actor="test", token=ApiToken.objects.get())

    run(scenario)
    assert not Contact.objects.filter(external_id="ws-4").exists()


def test_bad_messages_get_errors_and_the_socket_stays_open(switch):
    _staff, token = switch

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}")
        assert (await comm.connect(timeout=10))[0]
        await comm.receive_json_from(timeout=10)
        await comm.send_to(text_data="{oops")
        assert (await comm.receive_json_from(timeout=10))["code"] == "bad_json"
        await comm.send_json_to({"type": "call.dtmf", "call_id": "ws-5", "digits": "x", "id": "7"})
        err = await comm.receive_json_from(timeout=10)
        assert err["code"] == "invalid_message" and err["re"] == "7" and err["details"][0]["field"] == "digits"
        await comm.send_json_to({"type": "call.dtmf", "call_id": "ws-none", "digits": "1"})
        assert (await comm.receive_json_from(timeout=10))["code"] == "unknown_call"
        await comm.send_json_to({"type": "reboot"})
        assert (await comm.receive_json_from(timeout=10))["code"] == "unknown_type"
        await comm.send_json_to(incoming("ws-5"))
        assert (await comm.receive_json_from(timeout=10))["type"] == "play"
        await comm.disconnect()

    run(scenario)


def test_an_internal_failure_is_an_error_message_not_a_dead_socket(switch, monkeypatch):
    _staff, token = switch

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}")
        assert (await comm.connect(timeout=10))[0]
        await comm.receive_json_from(timeout=10)
        monkeypatch.setattr(CtiAdapter, "handle", boom)
        await comm.send_json_to(incoming("ws-6"))
        assert (await comm.receive_json_from(timeout=10))["code"] == "internal_error"
        monkeypatch.undo()
        await comm.send_json_to({"type": "hello", "token": token})
        assert (await comm.receive_json_from(timeout=10))["type"] == "welcome"
        await comm.disconnect()

    run(scenario)


def test_commands_the_core_pushes_reach_the_connected_switch(switch):
    _staff, token = switch

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}")
        assert (await comm.connect(timeout=10))[0]
        await comm.receive_json_from(timeout=10)
        await _push()
        assert await comm.receive_json_from(timeout=10) == {"type": "route", "call_id": "ws-7", "extension": "8001"}
        assert await comm.receive_json_from(timeout=10) == {"type": "hangup", "call_id": "ws-7"}
        assert await comm.receive_nothing(timeout=0.2)  # the chat contact's hangup is not for a switch
        await comm.disconnect()

    from channels.db import database_sync_to_async

    @database_sync_to_async
    def _push():
        from django.db import transaction

        with transaction.atomic():  # pushes go out on commit
            realtime.to_switch({"type": "route", "call": "ws-7", "extension": "8001"})
            realtime.to_switch({"type": "hangup", "call": "ws-7"})
            realtime.to_switch({"type": "hangup", "call": ""})

    run(scenario)


def test_a_switch_that_is_not_logged_in_gets_no_pushed_commands(switch):
    async def scenario():
        comm = socket()
        assert (await comm.connect(timeout=10))[0]
        await _push()
        assert await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()

    from channels.db import database_sync_to_async

    @database_sync_to_async
    def _push():
        realtime._send_all([("cti", {"type": "hangup", "call": "ws-8"})])

    run(scenario)


def test_pages_of_another_site_may_not_open_the_socket(switch):
    _staff, token = switch

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}", headers=[(b"origin", b"http://evil.example")])
        connected, _code = await comm.connect(timeout=10)
        assert not connected
        comm = socket(f"/ws/cti/?token={token}", headers=[(b"origin", b"http://127.0.0.1:8000")])
        assert (await comm.connect(timeout=10))[0]
        await comm.disconnect()

    run(scenario)


@pytest.mark.skipif(not os.environ.get("KEFU_TEST_REDIS_URL"), reason="set KEFU_TEST_REDIS_URL to test with Redis")
def test_round_trip_over_the_redis_channel_layer(switch, settings):
    settings.CHANNEL_LAYERS = redis_layer(os.environ["KEFU_TEST_REDIS_URL"])
    _staff, token = switch

    async def scenario():
        comm = socket(f"/ws/cti/?token={token}")
        assert (await comm.connect(timeout=10))[0]
        await comm.receive_json_from(timeout=10)
        await comm.send_json_to(incoming("redis-1"))
        assert (await comm.receive_json_from(timeout=10))["call_id"] == "redis-1"
        await comm.receive_json_from(timeout=10)
        await _push()
        assert await comm.receive_json_from(timeout=10) == {"type": "route", "call_id": "redis-1",
                                                           "extension": "8001"}
        await comm.disconnect()

    from channels.db import database_sync_to_async

    @database_sync_to_async
    def _push():
        realtime._send_all([("cti", {"type": "route", "call": "redis-1", "extension": "8001"})])

    run(scenario)
