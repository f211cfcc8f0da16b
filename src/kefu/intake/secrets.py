"""Mailbox passwords kept unreadable at rest and never shown back.

Kefu must hand the password to the IMAP server, so it cannot be hashed. It is
sealed with a key derived from ``SECRET_KEY``: a keystream of HMAC-SHA256 in
counter mode over a random nonce, and an HMAC tag over the whole, so a dump of
the table shows no password and a tampered value is refused. Forms and the API
only ever say whether a password is set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

_PREFIX = "v1:"


def _key(purpose: bytes) -> bytes:
    return hashlib.sha256(b"kefu.intake.mailbox:" + purpose + settings.SECRET_KEY.encode()).digest()


def _stream(nonce: bytes, length: int) -> bytes:
    key, out, counter = _key(b"stream"), b"", 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def seal(password: str) -> str:
    if not password:
        return ""
    data = password.encode()
    nonce = secrets.token_bytes(16)
    body = bytes(a ^ b for a, b in zip(data, _stream(nonce, len(data)), strict=True))
    tag = hmac.new(_key(b"tag"), nonce + body, hashlib.sha256).digest()[:16]
    return _PREFIX + base64.b64encode(nonce + tag + body).decode()


def unseal(sealed: str) -> str:
    """The password, or ``""`` if none is set or the value was not sealed with this key."""
    if not sealed or not sealed.startswith(_PREFIX):
        return ""
    raw = base64.b64decode(sealed[len(_PREFIX):])
    nonce, tag, body = raw[:16], raw[16:32], raw[32:]
    if not hmac.compare_digest(tag, hmac.new(_key(b"tag"), nonce + body, hashlib.sha256).digest()[:16]):
        return ""
    return bytes(a ^ b for a, b in zip(body, _stream(nonce, len(body)), strict=True)).decode()
