"""How the simulated switch reaches Kefu: over HTTP as a real switch would, or in-process.

Both speak the same protocol messages (docs/cti.md). The switch learns what
Kefu decided later (an agent answered, the agent hung up, a call to place) by
polling call states and pending dials: HTTP cannot push, and the in-process
mode has no socket.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger("kefu.contactcenter.simswitch")


class SwitchError(Exception):
    """Kefu refused an event (the protocol's error: code and message)."""

    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


class TransportError(Exception):
    """Kefu could not be reached."""


class InProcessTransport:
    """Calls the CTI adapter directly: for tests, the simulator, and a demo without HTTP."""

    def __init__(self, adapter=None, actor=None):
        from ..cti.adapter import default_adapter

        self.adapter = adapter or default_adapter()
        self.actor = actor

    def send(self, event: dict) -> list[dict]:
        from kefu.core.errors import KefuError

        try:
            return self.adapter.handle(event, actor=self.actor)
        except KefuError as exc:
            raise SwitchError(exc.code, str(exc.message), exc.status) from None

    def status(self, call_ids: list[str]) -> list[dict]:
        from ..cti.adapter import call_status

        return call_status(list(call_ids))

    def dials(self) -> list[dict]:
        from ..cti.adapter import pending_dials

        return pending_dials()


class HttpTransport:
    """``POST /api/contactcenter/cti/events`` and ``GET …/cti/calls`` with a Bearer token."""

    POLL_CHUNK = 100

    def __init__(self, url: str, token: str, *, timeout: float = 10.0):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.root = url.rstrip("/")
        self.token, self.timeout = token, timeout

    def _request(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.root + path, data=data, method=method, headers={  # noqa: S310
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
            "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (scheme checked above)
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                err = json.loads(exc.read() or b"{}")
            except ValueError:
                err = {}
            raise SwitchError(err.get("code", "http_error"), err.get("message", str(exc)), exc.code) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise TransportError(str(exc)) from None

    def send(self, event: dict) -> list[dict]:
        return self._request("POST", "/api/contactcenter/cti/events", event)["commands"]

    def status(self, call_ids: list[str]) -> list[dict]:
        out = []
        ids = list(call_ids)
        for i in range(0, len(ids), self.POLL_CHUNK):
            query = urllib.parse.urlencode([("call_id", c) for c in ids[i:i + self.POLL_CHUNK]])
            out.extend(self._request("GET", f"/api/contactcenter/cti/calls?{query}"))
        return out

    def dials(self) -> list[dict]:
        return self._request("GET", "/api/contactcenter/cti/dials")["commands"]

    def ready(self) -> bool:
        """Kefu answers and accepts the token (used to wait for a server that is starting)."""
        try:
            self.status(["ping"])
        except TransportError:
            return False
        return True
