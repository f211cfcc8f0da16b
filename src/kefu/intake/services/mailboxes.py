"""Setting up a hotline's mailbox: one write path with audit; the password sealed and never shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_update, snapshot
from kefu.core.errors import Conflict, ValidationFailed

from .. import secrets
from ..models import ImapSecurity, Mailbox
from .imap import Folder, connection_check

FIELDS = ("hotline", "name", "org", "queue", "imap_host", "imap_port", "imap_security", "imap_user", "folder",
          "smtp_from", "enabled")


@dataclass
class MailboxInput:
    hotline: str
    name: str
    org: Any
    queue: Any
    imap_host: str
    imap_port: int
    imap_security: str
    imap_user: str
    folder: str
    smtp_from: str
    enabled: bool = True
    password: str | None = None  # None: keep the one set


def _validate(data: MailboxInput) -> None:
    errors = {}
    if not re.fullmatch(r"[0-9+\-]{3,32}", (data.hotline or "").strip()):
        errors["hotline"] = _("Enter the hotline number (digits).")
    if not (data.name or "").strip():
        errors["name"] = _("The name is required.")
    if not re.fullmatch(r"[A-Za-z0-9.\-]{1,200}", (data.imap_host or "").strip()):
        errors["imap_host"] = _("Enter a host name or address.")
    if not (isinstance(data.imap_port, int) and 1 <= data.imap_port <= 65535):
        errors["imap_port"] = _("Enter a port between 1 and 65535.")
    if data.imap_security not in ImapSecurity.values:
        errors["imap_security"] = _("Choose the connection security.")
    if not (data.imap_user or "").strip():
        errors["imap_user"] = _("The user name is required.")
    if not (data.folder or "").strip() or len(data.folder) > 100 or any(c in data.folder for c in "\r\n\0"):
        errors["folder"] = _("Enter the folder name.")
    try:
        validate_email((data.smtp_from or "").strip())
    except ValidationError:
        errors["smtp_from"] = _("Enter an e-mail address.")
    if data.org is None:
        errors["org"] = _("Choose an organisation.")
    if data.queue is None:
        errors["queue"] = _("Choose the queue e-mails wait in.")
    if data.password is not None and len(data.password) > 200:
        errors["password"] = _("The password is too long.")
    if errors:
        raise ValidationFailed(_("The mailbox is not valid; see details."), code="invalid_mailbox", details=errors)


def _apply(mailbox: Mailbox, data: MailboxInput) -> None:
    mailbox.hotline, mailbox.name = data.hotline.strip(), data.name.strip()
    mailbox.org, mailbox.queue = data.org, data.queue
    mailbox.imap_host, mailbox.imap_port = data.imap_host.strip(), data.imap_port
    mailbox.imap_security, mailbox.imap_user = data.imap_security, data.imap_user.strip()
    mailbox.folder, mailbox.smtp_from, mailbox.enabled = data.folder.strip(), data.smtp_from.strip(), data.enabled
    if data.password is not None and data.password != "":
        mailbox.imap_password = secrets.seal(data.password)


def _save(mailbox: Mailbox) -> None:
    try:
        with transaction.atomic():
            mailbox.save()
    except IntegrityError:
        raise ValidationFailed(_("Another mailbox already reads this folder of this account."),
                               code="mailbox_exists", details={"imap_user": _("already used")}) from None


@transaction.atomic
def mailbox_create(*, actor, data: MailboxInput) -> Mailbox:
    _validate(data)
    mailbox = Mailbox()
    _apply(mailbox, data)
    _save(mailbox)
    audit_create(actor=actor, obj=mailbox, fields=FIELDS)
    return mailbox


@transaction.atomic
def mailbox_update(*, actor, mailbox_id: int, data: MailboxInput, version: int | None = None) -> Mailbox:
    mailbox = Mailbox.objects.select_for_update().get(pk=mailbox_id)
    if version is not None and version != mailbox.version:
        raise Conflict(_("The mailbox was changed by someone else; reload and try again."), code="stale",
                       details={"current_version": mailbox.version})
    _validate(data)
    before = snapshot(mailbox, FIELDS)
    had = mailbox.imap_password
    _apply(mailbox, data)
    mailbox.version += 1
    _save(mailbox)
    entry = audit_update(actor=actor, obj=mailbox, before=before)
    if mailbox.imap_password != had and entry is None:
        from kefu.audit.services import audit_record

        audit_record(actor=actor, action="update", obj=mailbox, changes={"password": ["***", "***"]})
    return mailbox


def mailbox_test(*, actor, mailbox: Mailbox) -> Folder:
    """Really connect: log in over IMAP and open the folder (``ValidationFailed`` with the server's reason)."""
    return connection_check(mailbox)
