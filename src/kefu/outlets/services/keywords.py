"""Inbound SMS keywords that other apps answer (e.g. the notices' "TD优惠" / "DY优惠" subscriptions).

The outlets cannot import the apps built on them, so those apps register a handler in their
``AppConfig.ready()``. A handler gets the sender's number, the whole text and the customer (if the number is
known) and returns the reply to send, or ``None`` when the text is not its keyword. The outlets' own opt-out
keywords are asked first; a text no handler takes becomes a contact as before.
"""

from __future__ import annotations

from collections.abc import Callable

KeywordHandler = Callable[..., "str | None"]

_handlers: list[KeywordHandler] = []


def inbound_keyword_register(handler: KeywordHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def inbound_keyword_handle(*, sender: str, text: str, customer_id: int | None) -> str | None:
    """The reply of the first handler that takes ``text``, or ``None``."""
    for handler in list(_handlers):
        reply = handler(sender=sender, text=text, customer_id=customer_id)
        if reply is not None:
            return reply
    return None
