"""Talking to the mailbox's IMAP server with the standard library's ``imaplib``.

Only what reading a folder once needs: log in, select, ``UID SEARCH`` for
UIDs above the last one read, ``UID FETCH`` of the size and of the whole
message without setting ``\\Seen`` (``BODY.PEEK[]``), and ``UID STORE
+FLAGS (\\Seen)`` once Kefu has committed the message.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

from .. import secrets
from ..models import ImapSecurity, Mailbox

TIMEOUT = 20


class ImapFailure(Exception):
    """The server could not be reached or refused a step; the message says which."""


@dataclass
class Folder:
    uidvalidity: int
    exists: int


def _text(data) -> str:
    parts = [d.decode(errors="replace") if isinstance(d, bytes) else str(d) for d in data or [] if d]
    return " ".join(parts)[:300]


class Session:
    """One logged-in connection to a mailbox, with its folder selected."""

    def __init__(self, mailbox: Mailbox, *, password: str | None = None):
        self.mailbox = mailbox
        self._password = secrets.unseal(mailbox.imap_password) if password is None else password
        self.imap: imaplib.IMAP4 | None = None
        self.folder: Folder | None = None

    def __enter__(self) -> Session:
        m = self.mailbox
        try:
            if m.imap_security == ImapSecurity.SSL:
                self.imap = imaplib.IMAP4_SSL(m.imap_host, m.imap_port, ssl_context=ssl.create_default_context(),
                                              timeout=TIMEOUT)
            else:
                self.imap = imaplib.IMAP4(m.imap_host, m.imap_port, timeout=TIMEOUT)
                if m.imap_security == ImapSecurity.STARTTLS:
                    self.imap.starttls(ssl.create_default_context())
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapFailure(_("Cannot connect to %(host)s:%(port)s: %(error)s") % {
                "host": m.imap_host, "port": m.imap_port, "error": exc}) from exc
        try:
            self.imap.login(m.imap_user, self._password)
        except imaplib.IMAP4.error as exc:
            self._close()
            raise ImapFailure(_("The server refused the login of %(user)s: %(error)s") % {
                "user": m.imap_user, "error": exc}) from exc
        try:
            typ, data = self.imap.select(_quoted(m.folder))
            if typ != "OK":
                raise ImapFailure(_("The folder %(folder)s cannot be opened: %(error)s") % {
                    "folder": m.folder, "error": _text(data)})
            _typ, validity = self.imap.response("UIDVALIDITY")
            if not validity or validity[0] is None:
                raise ImapFailure(_("The server gave no UIDVALIDITY for %(folder)s.") % {"folder": m.folder})
            self.folder = Folder(uidvalidity=int(validity[0]), exists=int(data[0] or 0))
        except (OSError, imaplib.IMAP4.error, ValueError) as exc:
            self._close()
            raise ImapFailure(str(exc)) from exc
        except ImapFailure:
            self._close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def _close(self) -> None:
        if self.imap is None:
            return
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.imap.logout()
        self.imap = None

    def _uid(self, command: str, *args: str):
        assert self.imap is not None
        try:
            typ, data = self.imap.uid(command, *args)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapFailure(f"UID {command}: {exc}") from exc
        if typ != "OK":
            raise ImapFailure(f"UID {command}: {_text(data)}")
        return data

    def new_uids(self, after: int, limit: int) -> list[int]:
        """UIDs above ``after``, oldest first (``n:*`` also answers the last message when none is newer)."""
        data = self._uid("SEARCH", f"UID {after + 1}:*")
        uids = sorted({int(u) for u in b" ".join(d for d in data if d).split() if int(u) > after})
        return uids[:limit]

    def size_of(self, uid: int) -> int:
        data = self._uid("FETCH", str(uid), "(RFC822.SIZE)")
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            m = re.search(rb"RFC822\.SIZE (\d+)", line or b"")
            if m:
                return int(m.group(1))
        raise ImapFailure(f"UID FETCH {uid}: no size")

    def fetch(self, uid: int) -> bytes:
        data = self._uid("FETCH", str(uid), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2:
                return item[1]
        raise ImapFailure(f"UID FETCH {uid}: no message")

    def mark_seen(self, uid: int) -> None:
        self._uid("STORE", str(uid), "+FLAGS", "(\\Seen)")


def _quoted(folder: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9._/-]+", folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connection_check(mailbox: Mailbox, *, password: str | None = None) -> Folder:
    """Log in and open the folder; ``ValidationFailed`` with the server's reason otherwise."""
    try:
        with Session(mailbox, password=password) as s:
            assert s.folder is not None
            return s.folder
    except ImapFailure as exc:
        raise ValidationFailed(str(exc), code="imap_failed") from exc
