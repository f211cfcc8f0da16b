"""The customer's chat socket through the real ASGI application (session cookie, the visit's group), beside
the agent's desk socket: lines and typing both ways, the agent's end reaching the customer.

Database work in consumers runs through ``database_sync_to_async``, which closes connections between calls,
so these tests use ``transactional_db``.
"""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from django.test import Client

from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.tests.desk_support import websocket_communicator
from kefu.core.testing import client_for
from kefu.webchat.consumers import SESSION_KEY
from kefu.webchat.models import ChatMessage
from kefu.webchat.services import chats

from .support import chatting, ready, visit_for

WebsocketCommunicator = websocket_communicator()

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def customer_cookie(visit) -> bytes:
    """The customer's browser: an anonymous session holding the visit's key."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = visit.token
    session.save()
    return f"{django_settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


def staff_cookie(staff) -> bytes:
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client_for(staff).cookies[name].value}".encode()


def socket(path, cookie: bytes | None = None):
    from kefu.asgi import application

    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, path, headers=headers)


async def next_of(comm, kind: str) -> dict:
    while True:
        msg = await comm.receive_json_from(timeout=5)
        if msg.get("type") == kind:
            return msg


def test_a_browser_without_a_live_chat_is_refused(wc):
    identified_only = visit_for(wc.entry, "13900000001")
    cookies = [None, customer_cookie(identified_only)]

    async def scenario():
        for cookie in cookies:
            comm = socket("/ws/webchat/", cookie)
            connected, code = await comm.connect(timeout=10)
            assert (connected, code) == (False, 4404)

    async_to_sync(scenario)()


def test_lines_and_typing_go_both_ways_and_the_agents_end_reaches_the_customer(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    customer, desk = customer_cookie(visit), staff_cookie(agent)

    async def scenario():
        cust = socket("/ws/webchat/", customer)
        assert (await cust.connect(timeout=10))[0]
        assert (await cust.receive_json_from(timeout=5))["type"] == "hello"
        ag = socket("/ws/agent/", desk)
        assert (await ag.connect(timeout=10))[0]
        await next_of(ag, "hello")

        await cust.send_json_to({"type": "message", "text": "你好，我想查话费"})
        got = await next_of(ag, "chat.message")
        assert (got["contact"], got["message"]["text"], got["message"]["sender"]) == (
            visit.contact_id, "你好，我想查话费", "customer")
        echo = await next_of(cust, "chat.message")
        assert echo["message"]["id"] == got["message"]["id"]

        await cust.send_json_to({"type": "typing"})
        assert (await next_of(ag, "chat.typing"))["contact"] == visit.contact_id

        await database_sync_to_async(chats.agent_typing)(actor=agent, contact_id=visit.contact_id)
        assert (await next_of(cust, "chat.typing"))["contact"] == visit.contact_id
        await database_sync_to_async(chats.agent_message)(actor=agent, contact_id=visit.contact_id, text="请稍等")
        line = await next_of(cust, "chat.message")
        assert (line["message"]["sender"], line["message"]["text"]) == ("agent", "请稍等")

        await cust.send_json_to({"type": "message", "text": " "})
        err = await next_of(cust, "error")
        assert err["code"] == "empty_message"

        await database_sync_to_async(ct.contact_end)(contact_id=visit.contact_id, actor=agent)
        assert (await next_of(cust, "contact.ended"))["contact"] == visit.contact_id
        await cust.disconnect()
        await ag.disconnect()

    async_to_sync(scenario)()
    assert list(ChatMessage.objects.filter(contact_id=visit.contact_id, sender__in=["customer", "agent"])
                .values_list("sender", "text")) == [("customer", "你好，我想查话费"), ("agent", "请稍等")]


def test_the_customer_ends_the_chat_from_the_socket(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    customer, desk = customer_cookie(visit), staff_cookie(agent)

    async def scenario():
        cust = socket("/ws/webchat/", customer)
        assert (await cust.connect(timeout=10))[0]
        ag = socket("/ws/agent/", desk)
        assert (await ag.connect(timeout=10))[0]
        await next_of(ag, "hello")
        await cust.send_json_to({"type": "end"})
        assert (await next_of(ag, "contact.ended"))["contact"] == visit.contact_id
        await next_of(cust, "contact.ended")
        await cust.disconnect()
        await ag.disconnect()

    async_to_sync(scenario)()
    visit.refresh_from_db()
    assert visit.state == "ended"
