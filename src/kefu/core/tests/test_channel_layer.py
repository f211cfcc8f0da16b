"""The single-machine channel layer: same delivery as Channels' in-memory layer, expiry sweep paced."""

import asyncio
import threading

import pytest
from channels.exceptions import ChannelFull

from kefu.core.channel_layer import LocalChannelLayer


def run(coro):
    """On an event loop of its own thread (a browser test may hold a running loop in this one)."""
    out = []
    worker = threading.Thread(target=lambda: out.append(asyncio.run(coro)))
    worker.start()
    worker.join(30)
    assert out, "the scenario failed (see the thread's traceback above)"
    return out[0]


def test_group_send_reaches_every_member_and_only_them():
    async def go():
        layer = LocalChannelLayer()
        a, b, c = [await layer.new_channel() for _ in range(3)]
        await layer.group_add("agent.1", a)
        await layer.group_add("agent.1", b)
        await layer.group_add("agent.2", c)
        await layer.group_send("agent.1", {"type": "kefu.event", "n": 1})
        got = [await asyncio.wait_for(layer.receive(ch), 1) for ch in (a, b)]
        assert got == [{"type": "kefu.event", "n": 1}] * 2
        assert c not in layer.channels  # nothing queued for the other group

    run(go())


def test_a_full_member_misses_the_message_and_the_others_still_get_it():
    async def go():
        layer = LocalChannelLayer(capacity=1)
        a, b = await layer.new_channel(), await layer.new_channel()
        for ch in (a, b):
            await layer.group_add("g", ch)
        await layer.send(a, {"type": "x", "n": 0})  # a is now full
        await layer.group_send("g", {"type": "x", "n": 1})
        assert await layer.receive(b) == {"type": "x", "n": 1}
        assert await layer.receive(a) == {"type": "x", "n": 0}
        await layer.send(b, {"type": "x"})
        with pytest.raises(ChannelFull):
            await layer.send(b, {"type": "x"})

    run(go())


def test_the_expiry_sweep_runs_at_most_once_a_second_and_still_expires(monkeypatch):
    async def go():
        layer = LocalChannelLayer(expiry=60)
        sweeps = []
        parent = LocalChannelLayer.__mro__[1]._clean_expired
        monkeypatch.setattr(LocalChannelLayer.__mro__[1], "_clean_expired",
                            lambda self: (sweeps.append(1), parent(self)))
        stale = await layer.new_channel()
        await layer.group_add("g", stale)
        await layer.send(stale, {"type": "old"})
        layer.channels[stale]._queue[0] = (0.0, {"type": "old"})  # its expiry has passed
        for _ in range(100):
            await layer.group_send("other", {"type": "y"})
        assert len(sweeps) == 1  # a hundred sends, one sweep
        assert stale not in layer.channels and stale not in layer.groups.get("g", {})  # expired and left its group
        layer._next_sweep = 0.0  # a second later
        await layer.group_send("other", {"type": "y"})
        assert len(sweeps) == 2

    run(go())
