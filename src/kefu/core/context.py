"""Who is acting and from where, for the audit log.

The middleware fills this per request; the worker and commands set it
themselves. Services read it so that they need no ``request`` argument.
"""

from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestMeta:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # web, api, worker, cli, system
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])


_current: contextvars.ContextVar[RequestMeta] = contextvars.ContextVar("kefu_request_meta")


def current() -> RequestMeta:
    try:
        return _current.get()
    except LookupError:
        return RequestMeta()


@contextmanager
def acting(meta: RequestMeta):
    token = _current.set(meta)
    try:
        yield meta
    finally:
        _current.reset(token)


def set_meta(meta: RequestMeta):
    return _current.set(meta)


def reset_meta(token) -> None:
    _current.reset(token)
