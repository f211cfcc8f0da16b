"""Signatures of the publishing protocol, both ways (BOSS → Kefu requests, Kefu → BOSS callbacks).

Headers: ``X-Kefu-Key: <key id>``, ``X-Kefu-Timestamp: <unix seconds>``,
``X-Kefu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>``. A timestamp more than
``REPLAY_WINDOW`` seconds off is refused, so a captured request cannot be played again later; within the
window a replay is harmless because requests are idempotent by request id and callbacks by delivery id.
Pure Python (no Django): the simulator and outside implementations use it as is.
"""

from __future__ import annotations

import hashlib
import hmac
import time

KEY_HEADER = "X-Kefu-Key"
TIMESTAMP_HEADER = "X-Kefu-Timestamp"
SIGNATURE_HEADER = "X-Kefu-Signature"
DELIVERY_HEADER = "X-Kefu-Delivery"
REPLAY_WINDOW = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_headers(key_id: str, secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    return {KEY_HEADER: key_id, TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(secret, ts, body)}


def timestamp_fresh(timestamp: str, *, now: float | None = None) -> bool:
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs((time.time() if now is None else now) - ts) <= REPLAY_WINDOW


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None) -> bool:
    """True when the signature is right and the timestamp within the replay window."""
    if not secret or not signature or not timestamp_fresh(timestamp, now=now):
        return False
    return hmac.compare_digest(sign(secret, str(int(timestamp)), body), signature)
