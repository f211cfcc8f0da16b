"""The ASGI handler runs middleware and view in one thread hop (Django's own takes three with Kefu's
synchronous middleware), and answers exactly as Django's would."""

import asyncio
import json

from asgiref import sync
from django.core.handlers.asgi import ASGIHandler

from kefu.core.asgi_handler import OneHopASGIHandler


async def _get(app, path: str, headers=()) -> tuple[int, dict, bytes]:
    """One HTTP request through an ASGI app, as a server would make it."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80)}
    sent = []
    inbox = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if inbox:
            return inbox.pop()
        await asyncio.Event().wait()  # the client stays connected; the handler stops listening when done

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def _hops(monkeypatch) -> dict:
    counts = {"sync_to_async": 0, "async_to_sync": 0}
    to_thread, to_loop = sync.SyncToAsync.__call__, sync.AsyncToSync.__call__

    async def counted_to_thread(self, *args, **kwargs):
        counts["sync_to_async"] += 1
        return await to_thread(self, *args, **kwargs)

    def counted_to_loop(self, *args, **kwargs):
        counts["async_to_sync"] += 1
        return to_loop(self, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", counted_to_thread)
    monkeypatch.setattr(sync.AsyncToSync, "__call__", counted_to_loop)
    return counts


def test_a_request_crosses_into_a_thread_once(monkeypatch):
    """Both handlers also cross for the request_started/finished signals' sync receivers (closing old
    database connections); around middleware and view, Django's crosses three times, ours once."""
    counts = {}
    for handler in (OneHopASGIHandler, ASGIHandler):
        app = handler()
        with monkeypatch.context() as patch:
            counted = _hops(patch)
            status, _headers, body = asyncio.run(_get(app, "/healthz"))
        assert status == 200 and json.loads(body)["status"] == "ok"
        counts[handler] = counted
    ours, djangos = counts[OneHopASGIHandler], counts[ASGIHandler]
    assert ours["async_to_sync"] == 0 and djangos["async_to_sync"] == 1
    assert djangos["sync_to_async"] - ours["sync_to_async"] == 2  # the chain's top and the view


def test_answers_as_djangos_own_handler_does():
    """Same status, headers set by the middleware (security, language, frame options) and body."""
    ours = asyncio.run(_get(OneHopASGIHandler(), "/healthz", [(b"accept-language", b"en")]))
    theirs = asyncio.run(_get(ASGIHandler(), "/healthz", [(b"accept-language", b"en")]))
    assert ours[0] == theirs[0] == 200
    assert {k: v for k, v in ours[1].items() if k != "content-length"} == \
        {k: v for k, v in theirs[1].items() if k != "content-length"}
    assert json.loads(ours[2])["status"] == json.loads(theirs[2])["status"] == "ok"
    missing = asyncio.run(_get(OneHopASGIHandler(), "/api/no-such-thing"))
    assert missing[0] == 404 == asyncio.run(_get(ASGIHandler(), "/api/no-such-thing"))[0]
