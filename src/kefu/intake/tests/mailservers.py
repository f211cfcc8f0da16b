"""Real mail servers for the tests: aiosmtpd for SMTP, ``imapd`` for IMAP, over one maildir.

Mail sent to the hotline's address is delivered into the hotline's maildir
(which the IMAP server serves); mail to anyone else lands in ``outbox``, where
a test reads what Kefu sent to the customer.
"""

from __future__ import annotations

import mailbox as mailboxlib
import re
import smtplib
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from .imapd import ImapServer

HOTLINE = "10086@hotline.example.cn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Delivered:
    rcpt: str
    raw: bytes

    @property
    def message(self):
        return message_from_bytes(self.raw, policy=policy.default)


class _Handler:
    def __init__(self, maildirs: dict[str, str], outbox: list[Delivered], event: threading.Event):
        self.maildirs, self.outbox, self.event = maildirs, outbox, event

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            path = self.maildirs.get(rcpt.lower())
            if path is not None:
                mailboxlib.Maildir(path, create=True).add(envelope.original_content)
            else:
                self.outbox.append(Delivered(rcpt=rcpt, raw=envelope.original_content))
        self.event.set()
        return "250 Message accepted for delivery"


@dataclass
class MailWorld:
    maildir: str
    imap: ImapServer
    smtp_port: int
    outbox: list[Delivered] = field(default_factory=list)
    event: threading.Event = field(default_factory=threading.Event)

    def send(self, raw: bytes, *, sender: str = "customer@example.cn", rcpt: str = HOTLINE) -> None:
        """A customer's mail program sending ``raw`` through the SMTP server (delivered into the maildir)."""
        raw = re.sub(rb"\r?\n", b"\r\n", raw)  # on the wire, lines end in CRLF
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as s:
            s.sendmail(sender, [rcpt], raw)

    def wait_outbox(self, n: int, timeout: float = 10) -> list[Delivered]:
        import time

        end = time.monotonic() + timeout
        while len(self.outbox) < n and time.monotonic() < end:
            self.event.wait(0.1)
            self.event.clear()
        return self.outbox


class SmtpServer:
    def __init__(self, maildirs: dict[str, str], outbox: list[Delivered], event: threading.Event):
        self.port = free_port()
        self.controller = Controller(_Handler(maildirs, outbox, event), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
