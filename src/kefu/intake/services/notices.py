"""The notice a sender gets when Kefu refuses their e-mail (too large, unreadable).

Never to an automatic message (bounces, auto-replies: no mail loops), never twice
for one message; the notice sent is kept beside the refused message.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.errors import KefuError

from ..mail import parse
from ..models import MailMessage, MailStatus
from .outbound import compose, send

log = logging.getLogger(__name__)


def refusal_notice_send(*, message_id: int) -> MailMessage | None:
    message = MailMessage.objects.select_related("mailbox").get(pk=message_id)
    if message.status == MailStatus.ACCEPTED or not message.from_addr:
        return None
    if parse(bytes(message.raw)[:65536]).automatic:
        return None
    if MailMessage.objects.filter(direction="out", in_reply_to=message.message_id or f"uid:{message.pk}",
                                  mailbox=message.mailbox).exists():
        return None
    text = _("Your e-mail to the %(hotline)s hotline could not be accepted: %(reason)s\n\n"
             "It has been kept and recorded. Please write again without large attachments, or call "
             "%(hotline)s.") % {"hotline": message.mailbox.hotline, "reason": message.problem}
    msg = compose(mailbox=message.mailbox, to=message.from_addr,
                  subject=_("Not accepted: %(subject)s") % {"subject": message.subject or _("your e-mail")},
                  text=text, answers=message)
    try:
        send(msg)
    except KefuError as exc:
        log.warning("refusal notice for mail %s not sent: %s", message.pk, exc)
        MailMessage.objects.filter(pk=message.pk).update(
            problem=f"{message.problem} ({_('notice not sent')}: {exc.message})"[:500])
        return None
    raw = msg.message().as_bytes()
    with transaction.atomic():
        return MailMessage.objects.create(
            mailbox=message.mailbox, direction="out", status=MailStatus.SENT,
            message_id=msg.extra_headers["Message-ID"], in_reply_to=message.message_id or f"uid:{message.pk}",
            references=msg.extra_headers.get("References", ""), subject=str(msg.subject), from_addr=msg.from_email,
            to_addr=message.from_addr, body=str(msg.body), size=len(raw), raw=raw)
