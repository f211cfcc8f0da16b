"""HMAC-SHA256 signatures of gateway requests and webhooks: ``sha256=hex(hmac(secret, "<ts>." + body))``."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Kefu-Signature"
TIMESTAMP_HEADER = "X-Kefu-Timestamp"
MAX_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(secret, ts, body)}


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None) -> bool:
    """True when the signature is right and the timestamp within ``MAX_SKEW_SECONDS`` (replays age out)."""
    if not secret or not signature:
        return False
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, str(ts), body), signature)
