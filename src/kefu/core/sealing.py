"""Secrets Kefu must hand on (to sign requests, to log in elsewhere) kept unreadable at rest.

They cannot be hashed, so they are sealed with a key derived from ``SECRET_KEY`` and a purpose: a
keystream of HMAC-SHA256 in counter mode over a random nonce, and an HMAC tag over the whole, so a dump of
the table shows no secret and a tampered value is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

_PREFIX = "v1:"


def _key(purpose: str, use: bytes) -> bytes:
    return hashlib.sha256(b"kefu.sealing:" + purpose.encode() + b":" + use + settings.SECRET_KEY.encode()).digest()


def _stream(purpose: str, nonce: bytes, length: int) -> bytes:
    key, out, counter = _key(purpose, b"stream"), b"", 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def seal(purpose: str, secret: str) -> str:
    if not secret:
        return ""
    data = secret.encode()
    nonce = secrets.token_bytes(16)
    body = bytes(a ^ b for a, b in zip(data, _stream(purpose, nonce, len(data)), strict=True))
    tag = hmac.new(_key(purpose, b"tag"), nonce + body, hashlib.sha256).digest()[:16]
    return _PREFIX + base64.b64encode(nonce + tag + body).decode()


def unseal(purpose: str, sealed: str) -> str:
    """The secret, or ``""`` if none is set or the value was not sealed with this key and purpose."""
    if not sealed or not sealed.startswith(_PREFIX):
        return ""
    try:
        raw = base64.b64decode(sealed[len(_PREFIX):])
    except ValueError:
        return ""
    nonce, tag, body = raw[:16], raw[16:32], raw[32:]
    if not hmac.compare_digest(tag, hmac.new(_key(purpose, b"tag"), nonce + body, hashlib.sha256).digest()[:16]):
        return ""
    return bytes(a ^ b for a, b in zip(body, _stream(purpose, nonce, len(body)), strict=True)).decode()
