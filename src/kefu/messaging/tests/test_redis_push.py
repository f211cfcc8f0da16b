"""With several server processes the pushes cross Redis: a recipient's page held by another process hears
the message. Run when KEFU_TEST_REDIS_URL is set (CI always sets it)."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async

from kefu.messaging.services.recipients import Target
from kefu.messaging.services.sending import MessageDraft, message_send, notify_group

from .conftest import build_center

REDIS = os.environ.get("KEFU_TEST_REDIS_URL", "")
pytestmark = [pytest.mark.skipif(not REDIS, reason="set KEFU_TEST_REDIS_URL to test the Redis paths"),
              pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("backend", ["channels_redis.pubsub.RedisPubSubChannelLayer",
                                     "channels_redis.core.RedisChannelLayer"])
def test_a_message_reaches_its_recipients_through_redis(settings, backend):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": backend,
                                           "CONFIG": {"hosts": [REDIS], "prefix": f"kefu-test-{os.getpid()}"}}}
    from channels.layers import get_channel_layer

    c = build_center()
    a1, a2 = c.agents

    def send():
        return message_send(actor=c.sup, draft=MessageDraft(
            subject="新规", body="请确认。", display="popup", targets=[Target(kind="team", id=c.team.pk)])).message.pk

    async def go():
        layer = get_channel_layer()
        pages = {a.pk: await layer.new_channel() for a in (a1, a2, c.other_team_agent)}
        for staff_id, channel in pages.items():
            await layer.group_add(notify_group(staff_id), channel)
        mid = await sync_to_async(send)()
        got = {staff_id: await asyncio.wait_for(layer.receive(pages[staff_id]), 10) for staff_id in (a1.pk, a2.pk)}
        try:
            await asyncio.wait_for(layer.receive(pages[c.other_team_agent.pk]), 0.5)
            stray = True
        except TimeoutError:
            stray = False
        await layer.flush()
        return mid, got, stray

    # A loop of its own in its own thread: browser tests in the same process may keep one running here.
    with ThreadPoolExecutor(1) as pool:
        mid, got, stray = pool.submit(asyncio.run, go()).result(timeout=60)
    assert {k: (m["event"]["type"], m["event"]["id"]) for k, m in got.items()} == {
        a1.pk: ("message", mid), a2.pk: ("message", mid)}
    assert not stray
