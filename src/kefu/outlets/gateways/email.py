"""E-mail through Django's e-mail backend (SMTP in production, the console or memory in development)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from . import Outgoing, SendFailed, Sent


class EmailSender:
    def __init__(self, outlet):
        self.outlet = outlet

    def send(self, message: Outgoing) -> Sent:
        mail = EmailMessage(subject=message.subject, body=message.body,
                            from_email=self.outlet.sender or settings.DEFAULT_FROM_EMAIL, to=[message.recipient],
                            headers={"X-Kefu-Message": message.key})
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailed(f"recipient refused: {exc.recipients}", permanent=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(str(exc)) from None
        return Sent(ref=message.key[:100])

    def after_sent(self, message_id: int, sent: Sent) -> None:
        """E-mail has no delivery report: a message stays "sent"."""
