"""Proving a mobile number: a one-time code by SMS, then an identified chat visit.

A code has 6 digits, is kept only as a keyed hash (HMAC with the site's
secret, bound to the number and the row), expires after 5 minutes and
allows 5 tries; a new code replaces the ones before it. Requests are limited
per number and per network address (parameters ``webchat.code.*``); the rows
of sent codes are what the limits count, so the limits hold across processes.
The SMS goes out through the outlets (``send_message``, the ``sms`` outlet).
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import KefuError, ValidationFailed
from kefu.crm.selectors import subscriber_identify_caller
from kefu.params.selectors import param_get

from ..models import ChatCode, ChatEntry, ChatVisit, VisitState

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=5)
CODE_TRIES = 5
SMS_OUTLET = "sms"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class TooManyRequests(KefuError):
    status = 429
    code = "rate_limited"


def door_label(entry: ChatEntry) -> str:
    """Who acts when the customer does (audit entries): the hotline's chat page."""
    return f"web chat {entry.hotline}"[:100]


def mobile_clean(raw: str) -> str:
    """A mainland mobile number (11 digits, ``+86`` and spaces allowed), or ``ValidationFailed``."""
    number = re.sub(r"[\s-]", "", raw or "")
    if number.startswith("+86"):
        number = number[3:]
    if not _MOBILE.match(number):
        raise ValidationFailed(_("Enter a mobile number of 11 digits."), code="invalid_mobile",
                               details={"mobile": _("Enter a mobile number of 11 digits.")})
    return number


def _hash(code: ChatCode, digits: str) -> str:
    return salted_hmac("kefu.webchat.code", f"{code.mobile}:{code.created_at.isoformat()}:{digits}",
                       algorithm="sha256").hexdigest()


def _limit(mobile: str, ip: str | None, now) -> None:
    hour_ago = now - timedelta(hours=1)
    # webchat_code_mobile_idx (mobile, created_at)
    recent = list(ChatCode.objects.filter(mobile=mobile, created_at__gte=hour_ago)
                  .order_by("-created_at").values_list("created_at", flat=True))
    wait = param_get("webchat.code.resend_seconds")
    if recent and (now - recent[0]).total_seconds() < wait:
        left = wait - int((now - recent[0]).total_seconds())
        raise TooManyRequests(_("A code was just sent. Ask again in %(n)d seconds.") % {"n": left},
                              code="code_wait", details={"retry_after": left})
    if len(recent) >= param_get("webchat.code.per_number_hour"):
        raise TooManyRequests(_("Too many codes for this number. Try again in an hour."), code="code_limit_number")
    # webchat_code_ip_idx (ip, created_at)
    if ip and ChatCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= param_get(
            "webchat.code.per_ip_hour"):
        raise TooManyRequests(_("Too many codes from your network. Try again later."), code="code_limit_ip")


@transaction.atomic
def code_request(*, entry: ChatEntry, mobile: str, ip: str | None = None) -> ChatCode:
    """Send a new code to ``mobile`` by SMS (through the outlets); earlier codes of the number stop counting."""
    from kefu.outlets.services.messages import send_message

    mobile = mobile_clean(mobile)
    now = clock.now()
    _limit(mobile, ip, now)
    ChatCode.objects.filter(mobile=mobile, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    digits = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    code = ChatCode(entry=entry, mobile=mobile, ip=ip, created_at=now, expires_at=now + CODE_LIFETIME)
    code.code_hash = _hash(code, digits)
    code.save()
    subscriber = subscriber_identify_caller(number=mobile)
    text = _("Your code for online service of %(hotline)s is %(code)s, valid for 5 minutes. "
             "Do not tell it to anyone.") % {"hotline": entry.hotline, "code": digits}
    send_message(recipient=mobile, outlet=SMS_OUTLET, idempotency_key=f"webchat-code-{code.pk}", purpose="reply",
                 body=text, customer_id=subscriber.customer_id if subscriber is not None else None,
                 org_id=entry.org_id, source="webchat")
    audit_record(actor=door_label(entry), action="create", obj=code, object_repr=f"chat code for {mobile}",
                 changes={"mobile": [None, mobile]})
    return code


def code_verify(*, entry: ChatEntry, mobile: str, code: str, ip: str | None = None) -> ChatVisit:
    """The visit the right code opens; ``ValidationFailed`` for a wrong, used or expired code (a wrong one
    counts as a try, and the fifth wrong try ends the code)."""
    mobile = mobile_clean(mobile)
    digits = re.sub(r"\s", "", code or "")
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", digits):
        raise ValidationFailed(_("Enter the 6-digit code."), code="invalid_code",
                               details={"code": _("Enter the 6-digit code.")})
    visit, tries_left = _verify(entry, mobile, digits, ip)
    if visit is None:
        if tries_left <= 0:
            raise ValidationFailed(_("Too many wrong codes. Ask for a new code."), code="code_locked")
        raise ValidationFailed(_("The code is wrong. %(n)d tries left.") % {"n": tries_left}, code="wrong_code",
                               details={"code": _("The code is wrong.")})
    return visit


@transaction.atomic
def _verify(entry: ChatEntry, mobile: str, digits: str, ip: str | None) -> tuple[ChatVisit | None, int]:
    now = clock.now()
    code = (ChatCode.objects.select_for_update().filter(mobile=mobile, entry=entry, used_at__isnull=True)
            .order_by("-created_at", "-id").first())
    if code is None or code.expires_at <= now:
        raise ValidationFailed(_("The code has expired. Ask for a new code."), code="code_expired")
    if code.tries >= CODE_TRIES:
        raise ValidationFailed(_("Too many wrong codes. Ask for a new code."), code="code_locked")
    if not hmac.compare_digest(code.code_hash, _hash(code, digits)):
        code.tries += 1
        code.save(update_fields=["tries"])  # kept: the wrong try counts, whatever the caller does next
        return None, CODE_TRIES - code.tries
    code.used_at = now
    code.save(update_fields=["used_at"])
    subscriber = subscriber_identify_caller(number=mobile)
    visit = ChatVisit.objects.create(entry=entry, token=secrets.token_urlsafe(32), mobile=mobile,
                                     guest=subscriber is None, state=VisitState.IDENTIFIED, ip=ip,
                                     customer_id=subscriber.customer_id if subscriber is not None else None)
    audit_record(actor=door_label(entry), action="create", obj=visit, object_repr=f"chat {visit.pk} of {mobile}",
                 changes={"mobile": [None, mobile], "guest": [None, visit.guest]}, note="mobile number verified by SMS")
    return visit, CODE_TRIES
