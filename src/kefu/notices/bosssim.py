"""A simulated BOSS: sends signed publishing requests to Kefu and receives Kefu's signed callbacks on a small
HTTP server of its own, as the real billing system would. Used by ``kefu manage boss_sim``, the demo and the
tests (which start it for real). No Django: it speaks the protocol only (``signing``).

It drops a callback whose delivery id it has seen (counting the duplicate) and answers 200, refuses a
callback with a wrong signature (403), and can be told to fail the next callbacks (``fail_next``) to show
Kefu's retries.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .signing import DELIVERY_HEADER, KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers, verify


class BossSimulator:
    def __init__(self, *, kefu_url: str, key_id: str, secret: str, host: str = "127.0.0.1", port: int = 0):
        self.kefu_url = kefu_url.rstrip("/")
        self.key_id, self.secret = key_id, secret
        self.callbacks: dict[str, dict] = {}  # delivery id → body, first arrival only
        self.duplicates = 0
        self.bad_signatures = 0
        self.failed_on_purpose = 0
        self.fail_next = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get(KEY_HEADER) != outer.key_id or not verify(
                        outer.secret, self.headers.get(TIMESTAMP_HEADER, ""), body,
                        self.headers.get(SIGNATURE_HEADER, "")):
                    with outer._lock:
                        outer.bad_signatures += 1
                    self._answer(403, {"code": "bad_signature"})
                    return
                with outer._arrived:
                    if outer.fail_next > 0:
                        outer.fail_next -= 1
                        outer.failed_on_purpose += 1
                        self._answer(500, {"code": "unavailable"})
                        return
                    data = json.loads(body)
                    delivery = self.headers.get(DELIVERY_HEADER) or data.get("delivery_id", "")
                    if delivery in outer.callbacks:
                        outer.duplicates += 1
                    else:
                        outer.callbacks[delivery] = data
                    outer._arrived.notify_all()
                self._answer(200, {"ok": True})

            def _answer(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.callback_url = f"http://{host}:{self.server.server_port}/kefu/callbacks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> BossSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def send(self, payload: dict, *, secret: str | None = None, timeout: float = 30.0) -> tuple[int, dict]:
        """POST a publishing request, signed (with ``secret`` to sign wrongly on purpose); (status, answer)."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        req = urllib.request.Request(  # noqa: S310 (the Kefu URL is the operator's)
            f"{self.kefu_url}/api/notices/boss/requests", data=body, method="POST",
            headers={"Content-Type": "application/json",
                     **signed_headers(self.key_id, self.secret if secret is None else secret, body)})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def results(self, request_id: str) -> dict[str, str]:
        """``{number: status}`` reported so far for the request."""
        with self._lock:
            out: dict[str, str] = {}
            for cb in sorted(self.callbacks.values(), key=lambda c: c["seq"]):
                if cb["request_id"] == request_id:
                    out.update({r["number"]: r["status"] for r in cb["results"]})
            return out

    def final(self, request_id: str) -> dict | None:
        with self._lock:
            return next((c for c in self.callbacks.values() if c["request_id"] == request_id and c["final"]), None)

    def wait_final(self, request_id: str, timeout: float) -> dict | None:
        with self._arrived:
            self._arrived.wait_for(lambda: any(c["request_id"] == request_id and c["final"]
                                               for c in self.callbacks.values()), timeout=timeout)
        return self.final(request_id)
