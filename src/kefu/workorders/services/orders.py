"""Creating work orders: one write path for the UI, the API and the contact desk."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed

from .. import kinds
from ..kinds import Kind
from ..models import Channel, Priority, State, WorkOrder, WorkOrderLink, WorkOrderStep
from . import deadlines, notices
from .holders import Holder, province_of
from .serials import serial_next
from .templates import compiled, template_for

ORDER_FIELDS = ("serial", "kind", "station", "state", "priority", "service_tier", "customer", "subscriber",
                "channel", "title", "category", "level", "source", "complainant_type", "place", "holder_org",
                "holder_team", "holder_staff")


def _priority(kind: str, tier: str, level: str) -> int:
    if level == "urgent":
        return Priority.URGENT
    if tier == "vip":
        return Priority.HIGH
    return Priority.NORMAL


@transaction.atomic
def workorder_create(
    *, actor, kind: str, title: str, description: str, fields: dict | None = None, customer=None,
    subscriber=None, channel: str = Channel.PHONE, contact_number: str = "", origin_contact: str = "",
    idempotency_key: str | None = None, appeal_of: WorkOrder | None = None, product: str = "",
    via_forward: bool = False,
) -> tuple[WorkOrder, bool]:
    """Create an order at its template's first station, held by its creator.

    Returns ``(order, created)``. With an ``idempotency_key`` already used by this
    creator, the first order is returned and nothing new is written. A coordination
    order exists only as the child of a forward (``via_forward``); no door creates one
    on its own.
    """
    if idempotency_key:
        existing = WorkOrder.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.creator_id != getattr(actor, "pk", None):
                raise Conflict(_("This idempotency key was used by someone else."), code="idempotency_conflict")
            return existing, False
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("The title is required.")
    if not description:
        errors["description"] = _("The description is required.")
    if channel not in Channel.values:
        errors["channel"] = _("Unknown contact channel.")
    columns, details, field_errors = kinds.validate_fields(kind, fields or {})
    errors.update(field_errors)
    if kind == Kind.COORDINATION and not via_forward:
        errors["kind"] = _("A coordination order is created only by forwarding an order to another organisation.")
    if kind == Kind.APPEAL:
        if appeal_of is None:
            errors["appeal_of"] = _("An appeal must name the complaint it appeals.")
        elif appeal_of.kind not in (Kind.COMPLAINT, Kind.APPEAL):
            errors["appeal_of"] = _("Only a complaint (or an earlier appeal) can be appealed.")
    if subscriber is not None and customer is not None and subscriber.customer_id != customer.pk:
        errors["subscriber"] = _("The subscriber does not belong to this customer.")
    if errors:
        raise ValidationFailed(_("The work order is not valid; see details."), code="invalid_order", details=errors)
    if subscriber is not None and customer is None:
        customer = subscriber.customer
    if customer is not None and appeal_of is not None and appeal_of.customer_id not in (None, customer.pk):
        raise ValidationFailed(_("The appeal is for a different customer than the complaint."), code="invalid_order")
    if appeal_of is not None and customer is None:
        customer = appeal_of.customer

    version = template_for(kind=kind, org=actor.org, product=product or details.get("product", ""))
    tpl = compiled(version)
    tier = deadlines.sla.service_tier_of(customer, subscriber)
    now = clock.now()
    order = WorkOrder(
        serial=serial_next(kind), kind=kind, template_version=version, station=tpl.start, state=State.OPEN,
        priority=_priority(kind, tier, columns.get("level", "")), service_tier=tier,
        customer=customer, subscriber=subscriber, contact_number=contact_number[:32], channel=channel,
        origin_contact=origin_contact[:64], title=title[:200], description=description[:5000], details=details,
        creator=actor, org=actor.org, holder_org=actor.org, holder_staff=actor,
        created_at=now, updated_at=now, station_entered_at=now, idempotency_key=idempotency_key or None,
        **columns,
    )
    start = tpl.station(tpl.start)
    if start.holder == "province":
        order.holder_org, order.holder_staff = province_of(actor.org), None
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        if idempotency_key:
            raise Conflict(_("A request with this idempotency key is already being processed."),
                           code="idempotency_conflict") from None
        raise
    if appeal_of is not None:
        WorkOrderLink.objects.create(src=order, dst=appeal_of, kind=WorkOrderLink.Kind.APPEAL_OF)
        if not order.details.get("repeat"):
            order.details["repeat"] = "repeated" if appeal_of.kind == Kind.APPEAL else "first"
    WorkOrderStep.objects.create(
        order=order, seq=1, at=now, actor=actor, actor_label=_label(actor), actor_org=actor.org, action="create",
        to_station=tpl.start, text=description[:5000], holder_org=order.holder_org, holder_staff=order.holder_staff,
    )
    deadlines.schedule_reply(order)
    deadlines.schedule_station(order, step_seq=1, final=False)
    order.save()
    audit_create(actor=actor, obj=order, fields=ORDER_FIELDS)
    if order.holder_staff_id != actor.pk:
        notices.notify(order=order, kind="assigned", holder=Holder(org=order.holder_org),
                       text=_("New %(kind)s %(serial)s") % {"kind": Kind(kind).label, "serial": order.serial})
    from .events import event_emit

    event_emit(order, "order.created")
    return order, True


def _label(actor) -> str:
    return f"{actor.employee_no} {actor.name}" if getattr(actor, "pk", None) else str(actor)
