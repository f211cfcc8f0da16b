"""The desk and supervisor WebSockets through the real ASGI application (session cookie, permission, groups).

Database work in consumers runs through ``database_sync_to_async``, which
closes connections between calls, so these tests use ``transactional_db``.
"""

import os

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings as django_settings

from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services.router import route
from kefu.core.testing import client_for, make_staff

from .desk_support import call, websocket_communicator

WebsocketCommunicator = websocket_communicator()

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    """A new in-memory channel layer per test (the layer binds to one event loop)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def session_of(staff) -> bytes:
    """A logged-in browser's cookie header (made before the event loop starts: it writes the session)."""
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client_for(staff).cookies[name].value}".encode()


def socket(path, cookie: bytes | None = None):
    from kefu.asgi import application

    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, path, headers=headers)


def run(scenario):
    async_to_sync(scenario)()


def test_anonymous_and_unpermitted_browsers_are_refused(cc):
    nobody = session_of(make_staff(org=cc.province, perms=["crm.customer.view"]))
    agent = session_of(cc.agents[0])

    async def scenario():
        for path, cookie, expected in (("/ws/agent/", None, 4401), ("/ws/supervisor/", None, 4401),
                                       ("/ws/agent/", nobody, 4403), ("/ws/supervisor/", nobody, 4403),
                                       ("/ws/supervisor/", agent, 4403)):
            comm = socket(path, cookie)
            connected, code = await comm.connect(timeout=10)
            assert (connected, code) == (False, expected), path
            await comm.disconnect()

    run(scenario)


def test_a_foreign_origin_is_refused(cc):
    cookie = session_of(cc.agents[0])

    async def scenario():
        comm = socket("/ws/agent/", cookie)
        comm.scope["headers"] = [(b"origin", b"https://evil.example")] + [
            h for h in comm.scope["headers"] if h[0] != b"origin"]
        connected, _ = await comm.connect(timeout=10)
        assert not connected

    run(scenario)


def test_an_agent_hears_its_own_offers_only_and_supervisors_hear_everything(cc):
    a1, a2, _a3 = cc.agents
    c1, c2, csup = session_of(a1), session_of(a2), session_of(cc.sup)

    def setup():
        ag.agent_login(actor=a1, extension="8001")
        ag.agent_login(actor=a2, extension="8002")
        ag.agent_set_state(actor=a2, state="ready")

    def vip_call():
        contact = call("13900000001", cc.q_vip)
        route()
        return contact

    async def scenario():
        await database_sync_to_async(setup)()
        s1, s2, sup = socket("/ws/agent/", c1), socket("/ws/agent/", c2), socket("/ws/supervisor/", csup)
        for comm, group in ((s1, f"agent-{a1.pk}"), (s2, f"agent-{a2.pk}"), (sup, "supervisors")):
            connected, _ = await comm.connect(timeout=10)
            assert connected
            assert await comm.receive_json_from(timeout=10) == {"type": "hello", "group": group, "server": os.getpid()}
        contact = await database_sync_to_async(vip_call)()
        seen = [await s2.receive_json_from(timeout=2) for _ in range(2)]
        offer = next(e for e in seen if e["type"] == "offer")
        assert offer["contact"] == contact.pk and offer["pop"]["customer"]["name"] == "陈大客户"
        assert any(e["type"] == "agent.state" and e["state"] == "offered" for e in seen)
        assert await s1.receive_nothing(timeout=0.3)
        kinds = set()
        while not await sup.receive_nothing(timeout=0.3):
            kinds.add((await sup.receive_json_from(timeout=10))["type"])
        assert {"contact.arrived", "contact.queued", "contact.offered", "agent.state"} <= kinds
        await s2.send_json_to({"type": "ping"})
        assert await s2.receive_json_from(timeout=10) == {"type": "pong"}
        await s2.send_to(text_data="not json")  # ignored, the socket stays open
        await s2.send_json_to({"type": "ping"})
        assert await s2.receive_json_from(timeout=10) == {"type": "pong"}
        for comm in (s1, s2, sup):
            await comm.disconnect()

    run(scenario)
