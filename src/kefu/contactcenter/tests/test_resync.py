"""Nothing dropped on the desktop: a failed push is retried once, and the desk state repairs what is lost.

See docs/decisions/0023-realtime-connections-and-resync.md.
"""

import logging
import threading

import pytest

from kefu.contactcenter.services import realtime
from kefu.contactcenter.services.router import route

from .desk_support import API, api_for, call, ready


class FlakyLayer:
    """A channel layer whose first ``failures`` sends raise, as a saturated loop or a lost Redis does."""

    def __init__(self, failures: int):
        self.failures = failures
        self.sent: list[tuple[str, dict]] = []
        self.done = threading.Event()

    async def group_send(self, group, message):
        if self.failures:
            self.failures -= 1
            raise TimeoutError("the event loop did not take the push in time")
        self.sent.append((group, message["event"]))
        self.done.set()


@pytest.fixture
def flaky(monkeypatch):
    def install(failures: int) -> FlakyLayer:
        layer = FlakyLayer(failures)
        monkeypatch.setattr(realtime, "get_channel_layer", lambda: layer)
        monkeypatch.setattr(realtime, "_server_loop", None)
        monkeypatch.setattr(realtime, "RETRY_AFTER", 0.01)
        return layer

    return install


def _wait_for_retry():
    for t in threading.enumerate():
        if isinstance(t, threading.Timer):
            t.join(timeout=5)


def test_a_failed_push_is_sent_again_once_after_a_back_off(flaky, caplog):
    layer = flaky(failures=1)
    before = dict(realtime.counts)
    with caplog.at_level(logging.WARNING, logger="kefu.contactcenter.realtime"):
        realtime.to_agent(7, {"type": "offer", "offer": 1})
        assert layer.done.wait(5)
    assert layer.sent == [("agent-7", {"type": "offer", "offer": 1})]
    assert realtime.counts["retried"] == before["retried"] + 1 and realtime.counts["dropped"] == before["dropped"]
    assert "push of 1 event(s) failed (TimeoutError); retrying" in caplog.text


def test_a_large_batch_goes_out_in_chunks_and_a_failed_chunk_alone_is_retried(flaky):
    """A router pass that offers a backlog: one slow trip must not repeat or drop the whole batch."""
    layer = flaky(failures=1)
    _wait_for_retry()  # an earlier test's retry still counting
    before = dict(realtime.counts)
    realtime._send_all([(f"agent-{i}", {"type": "offer", "offer": i}) for i in range(realtime.CHUNK * 2 + 3)])
    _wait_for_retry()
    assert sorted(m["offer"] for _g, m in layer.sent) == list(range(realtime.CHUNK * 2 + 3))  # each once
    assert realtime.counts["sent"] == before["sent"] + 3 and realtime.counts["retried"] == before["retried"] + 1


def test_a_push_failing_twice_is_dropped_and_counted(flaky, caplog):
    layer = flaky(failures=2)
    before = dict(realtime.counts)
    with caplog.at_level(logging.WARNING, logger="kefu.contactcenter.realtime"):
        realtime.to_agent(7, {"type": "offer", "offer": 1})
        _wait_for_retry()
    assert layer.sent == []
    assert realtime.counts["dropped"] == before["dropped"] + 1
    assert "dropped after a retry" in caplog.text and f"dropped {before['dropped'] + 1}]" in caplog.text


def test_the_desk_state_repairs_an_offer_whose_pushes_were_lost(cc, flaky, django_capture_on_commit_callbacks):
    """What the desktop fetches on (re)connect and on its heartbeat holds everything to draw the offer."""
    ag2 = api_for(cc.agents[1])
    ready(ag2, "8002")
    layer = flaky(failures=1_000)
    with django_capture_on_commit_callbacks(execute=True):
        call("13900000001", cc.q_vip)
        [offer_id] = route()
    _wait_for_retry()
    assert layer.sent == []  # the desktop heard nothing
    me = ag2.get(f"{API}/agent/me").json()
    assert me["session"]["state"] == "offered"
    offer = me["offer"]
    assert offer["id"] == offer_id and offer["expires_at"]
    assert offer["pop"]["caller"] == "13900000001" and offer["pop"]["customer"]["name"] == "陈大客户"
    assert offer["script"] is not None


def test_a_push_from_a_thread_that_runs_its_own_loop_still_leaves(flaky):
    """A sync caller inside a foreign running loop (a browser-test driver, say) cannot use async_to_sync."""
    import asyncio

    layer = flaky(failures=0)

    async def inside_a_loop():
        realtime.to_agent(8, {"type": "state"})

    # A thread of its own: the test's thread may already run a loop (the browser tests' driver does).
    caller = threading.Thread(target=lambda: asyncio.run(inside_a_loop()))
    caller.start()
    caller.join(10)
    assert layer.sent == [("agent-8", {"type": "state"})]
