"""What SMS gateways send back: delivery reports, and customers' messages (joined from their segments).

Both are idempotent: a report is unique by (outlet, report id), an inbound part
by (outlet, gateway id); a repeated webhook finds the row and changes nothing.
An inbound SMS that is an opt-out keyword ("TD", "退订") opts the number out of
SMS; a keyword another app registered (``keywords``) is answered by that app;
any other becomes a contact on the SMS channel, queued and routed like a
call (``contactcenter.services.contacts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.contactcenter.selectors import queue_active
from kefu.contactcenter.services.contacts import contact_arrive, contact_enqueue, contact_event_record
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.params.selectors import param_get

from .. import smsparts
from ..models import DeliveryReport, InboundPart, InboundSms, Message, MessageStatus, Outlet
from .keywords import inbound_keyword_handle
from .optouts import optout_create
from .recipients import number_normalize

REPORT_STATUSES = ("delivered", "failed")
#: Parts of a concatenated message older than this are not joined with new ones (8-bit references repeat).
CONCAT_WINDOW = timedelta(hours=24)
ACTOR = "sms"


def report_settle(*, report: DeliveryReport, message: Message) -> None:
    """Apply a report to its (locked) message: sent → delivered or failed; a final status stays."""
    report.message = message
    report.save(update_fields=["message"])
    if message.status != MessageStatus.SENT:
        return
    message.status = MessageStatus.DELIVERED if report.status == "delivered" else MessageStatus.FAILED
    message.finished_at = clock.now()
    message.status_reason = report.error[:300]
    message.save(update_fields=["status", "finished_at", "status_reason"])


@transaction.atomic
def sms_report_apply(*, outlet: Outlet, report_id: str, gateway_ref: str, status: str,
                     error: str = "") -> tuple[DeliveryReport, bool]:
    """Record a delivery report (once per report id) and settle its message; (report, new?)."""
    if status not in REPORT_STATUSES:
        raise ValidationFailed(_("Unknown report status."), code="invalid_status",
                               details={"status": _("Use delivered or failed.")})
    if not report_id or not gateway_ref:
        raise ValidationFailed(_("A report needs its id and the message reference."), code="invalid_report")
    try:
        with transaction.atomic():
            report = DeliveryReport.objects.create(outlet=outlet, report_id=report_id[:100],
                                                   gateway_ref=gateway_ref[:100], status=status,
                                                   error=(error or "")[:300])
    except IntegrityError:
        return DeliveryReport.objects.get(outlet=outlet, report_id=report_id[:100]), False
    # outlets_msg_ref_idx
    message = Message.objects.select_for_update().filter(outlet=outlet, gateway_ref=gateway_ref[:100]).first()
    if message is not None:
        report_settle(report=report, message=message)
    return report, True


@dataclass(frozen=True)
class InboundResult:
    part: InboundPart
    inbound: InboundSms | None
    duplicate: bool


def _concat(udh: str, ref: int | None, total: int, seq: int) -> tuple[int | None, int, int]:
    if udh:
        parsed = smsparts.parse_udh(udh)
        if parsed is None:
            raise ValidationFailed(_("The concatenation header is not valid."), code="invalid_udh")
        return parsed
    if total == 1 and seq == 1:
        return None, 1, 1
    if ref is None or not (1 <= seq <= total <= smsparts.MAX_SEGMENTS):
        raise ValidationFailed(_("The concatenation reference, total or sequence is not valid."),
                               code="invalid_concat")
    return ref, total, seq


@transaction.atomic
def sms_inbound_receive(*, outlet: Outlet, gateway_id: str, sender: str, recipient: str = "", text: str,
                        udh: str = "", ref: int | None = None, total: int = 1, seq: int = 1) -> InboundResult:
    """Keep one inbound part; once all parts of its message are here, join them and act on the message."""
    if not gateway_id:
        raise ValidationFailed(_("The message id is missing."), code="invalid_inbound")
    number = number_normalize(sender)
    ref, total, seq = _concat(udh, ref, total, seq)
    # Parts of one message arriving at once join under the outlet's lock, so exactly one of them completes it.
    Outlet.objects.select_for_update().filter(pk=outlet.pk).values_list("pk", flat=True).first()
    existing = InboundPart.objects.filter(outlet=outlet, gateway_id=gateway_id[:100]).select_related("inbound").first()
    if existing is not None:
        return InboundResult(part=existing, inbound=existing.inbound, duplicate=True)
    part = InboundPart.objects.create(outlet=outlet, gateway_id=gateway_id[:100], sender=number,
                                      recipient=(recipient or "")[:32], text=(text or "")[:2000], ref=ref,
                                      total=total, seq=seq)
    if total == 1:
        parts = [part]
    else:
        since = clock.now() - CONCAT_WINDOW
        # outlets_inpart_concat_idx
        waiting = InboundPart.objects.filter(outlet=outlet, sender=number, ref=ref, total=total, inbound__isnull=True,
                                             received_at__gte=since).order_by("seq", "id")
        by_seq: dict[int, InboundPart] = {}
        for p in waiting:
            by_seq.setdefault(p.seq, p)
        if len(by_seq) < total:
            return InboundResult(part=part, inbound=None, duplicate=False)
        parts = list(by_seq.values())
    inbound = _act(outlet=outlet, sender=number, recipient=part.recipient,
                   text=smsparts.join([(p.seq, p.text) for p in parts]))
    InboundPart.objects.filter(pk__in=[p.pk for p in parts]).update(inbound=inbound)
    part.inbound = inbound
    return InboundResult(part=part, inbound=inbound, duplicate=False)


def _is_optout(text: str) -> bool:
    words = {w.strip().upper() for w in str(param_get("outlets.optout_keywords")).split(",") if w.strip()}
    return text.strip().upper() in words


def _act(*, outlet: Outlet, sender: str, recipient: str, text: str) -> InboundSms:
    from kefu.crm.selectors import subscriber_identify_caller

    sub = subscriber_identify_caller(number=sender)
    customer = sub.customer if sub else None
    if _is_optout(text):
        optout = optout_create(actor=ACTOR, address=sender, outlet=outlet, reason=text.strip()[:200], source="sms")
        inbound = InboundSms.objects.create(outlet=outlet, sender=sender, recipient=recipient, text=text,
                                            action=InboundSms.Action.OPT_OUT, opt_out=optout, customer=customer)
        from .messages import send_message

        with translation.override(settings.LANGUAGE_CODE):
            confirm = _("You will no longer receive messages from us by SMS, except answers you ask for.")
        send_message(recipient=sender, outlet=outlet.code, body=str(confirm), purpose="reply",
                     idempotency_key=f"optout-confirm-{inbound.pk}", customer_id=customer.pk if customer else None,
                     source="sms")
        return inbound
    reply = inbound_keyword_handle(sender=sender, text=text, customer_id=customer.pk if customer else None)
    if reply is not None:
        inbound = InboundSms.objects.create(outlet=outlet, sender=sender, recipient=recipient, text=text,
                                            action=InboundSms.Action.KEYWORD, customer=customer)
        from .messages import send_message

        send_message(recipient=sender, outlet=outlet.code, body=reply, purpose="reply",
                     idempotency_key=f"keyword-reply-{inbound.pk}", customer_id=customer.pk if customer else None,
                     source="sms")
        return inbound
    inbound = InboundSms.objects.create(outlet=outlet, sender=sender, recipient=recipient, text=text,
                                        action=InboundSms.Action.CONTACT, customer=customer)
    contact = contact_arrive(caller=sender, called=recipient, channel="sms", external_id=f"sms-{inbound.pk}")
    contact_event_record(contact=contact, kind="sms_in", data={"text": text[:2000], "inbound": inbound.pk})
    queue = queue_active(code=str(param_get("outlets.sms_queue"))) or queue_active(
        code=str(param_get("ivr.default_queue")))
    if queue is not None:
        contact_enqueue(contact=contact, queue=queue)
    inbound.contact = contact
    inbound.save(update_fields=["contact"])
    return inbound
