"""Background work of intake: reading the hotline mailboxes."""

from __future__ import annotations

import logging
from datetime import timedelta

from kefu.core.tasks import periodic

log = logging.getLogger(__name__)


@periodic(every=timedelta(minutes=1))
def mailboxes_poll() -> int:
    """Read every enabled mailbox once; a failing server is remembered on its mailbox, the others go on."""
    from .selectors import mailboxes_enabled
    from .services.inbound import mailbox_poll

    n = 0
    for mailbox_id in mailboxes_enabled():
        counts = mailbox_poll(mailbox_id=mailbox_id)
        n += counts.get("accepted", 0) + counts.get("refused", 0)
    return n
