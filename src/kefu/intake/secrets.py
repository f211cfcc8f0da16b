"""Mailbox passwords kept unreadable at rest and never shown back.

Kefu must hand the password to the IMAP server, so it cannot be hashed: it is sealed
(``kefu.core.sealing``, purpose ``intake.mailbox``). Forms and the API only ever say whether a
password is set.
"""

from __future__ import annotations

from kefu.core import sealing

PURPOSE = "intake.mailbox"


def seal(password: str) -> str:
    return sealing.seal(PURPOSE, password)


def unseal(sealed: str) -> str:
    """The password, or ``""`` if none is set or the value was not sealed with this key."""
    return sealing.unseal(PURPOSE, sealed)
