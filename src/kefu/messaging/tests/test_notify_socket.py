"""The notification socket through the real ASGI application: a logged-in person's pages hear the messages
sent to them once the send commits, nobody else's, and a read in one tab closes it in the others."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from django.db import transaction

from kefu.contactcenter.tests.desk_support import websocket_communicator
from kefu.core.testing import client_for
from kefu.messaging.services.receipts import message_acknowledge
from kefu.messaging.services.recipients import Target
from kefu.messaging.services.sending import MessageDraft, message_send

from .conftest import build_center

WebsocketCommunicator = websocket_communicator()

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    """A new in-memory channel layer per test (the layer binds to one event loop)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def session_of(staff) -> bytes:
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client_for(staff).cookies[name].value}".encode()


def socket(cookie: bytes | None = None):
    from kefu.asgi import application

    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/notify/", headers=headers)


def test_recipients_hear_the_message_after_commit_and_others_hear_nothing():
    c = build_center()
    a1, a2 = c.agents
    cookies = [session_of(a1), session_of(a2), session_of(c.other_team_agent)]

    def send_in_a_transaction_that_fails():
        with transaction.atomic():
            message_send(actor=c.sup, draft=MessageDraft(subject="作废", body="…", display="popup",
                                                         targets=[Target(kind="team", id=c.team.pk)]))
            transaction.set_rollback(True)

    def send():
        return message_send(actor=c.sup, draft=MessageDraft(
            subject="新规", body="请确认。", display="popup", sound=True,
            targets=[Target(kind="team", id=c.team.pk)])).message.pk

    async def scenario():
        s1, s2, other = (socket(k) for k in cookies)
        for comm in (s1, s2, other):
            connected, _ = await comm.connect(timeout=10)
            assert connected
            assert await comm.receive_json_from(timeout=10) == {"type": "hello"}
        await database_sync_to_async(send_in_a_transaction_that_fails)()
        assert await s1.receive_nothing(timeout=0.3)
        mid = await database_sync_to_async(send)()
        for comm in (s1, s2):
            ev = await comm.receive_json_from(timeout=5)
            assert (ev["type"], ev["id"], ev["subject"], ev["display"], ev["sound"], ev["sender"]) == (
                "message", mid, "新规", "popup", True, "值班长")
        assert await other.receive_nothing(timeout=0.3)
        # Acknowledged in one tab: the person's other tabs are told to close it.
        second_tab = socket(cookies[0])
        assert (await second_tab.connect(timeout=10))[0]
        await second_tab.receive_json_from(timeout=10)
        await database_sync_to_async(message_acknowledge)(actor=a1, message_id=mid)
        for comm in (s1, second_tab):
            assert await comm.receive_json_from(timeout=5) == {"type": "message.read", "id": mid}
        assert await s2.receive_nothing(timeout=0.3)
        await s1.send_json_to({"type": "ping"})
        assert await s1.receive_json_from(timeout=5) == {"type": "pong"}
        for comm in (s1, s2, other, second_tab):
            await comm.disconnect()

    async_to_sync(scenario)()


def test_an_anonymous_socket_is_refused():
    async def scenario():
        comm = socket()
        connected, code = await comm.connect(timeout=10)
        assert (connected, code) == (False, 4401)

    async_to_sync(scenario)()
