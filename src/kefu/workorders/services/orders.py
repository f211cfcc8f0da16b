"""Creating work orders, and the changes an order gets from outside its actions.

One write path for the UI, the API, the contact desk and forwarding: every new
order — a coordination order too — and every change made when a forward comes
back gets its history step, version, audit entry and event here.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.params.selectors import param_get

from .. import kinds
from ..kinds import Kind
from ..models import Channel, Priority, State, Timer, WorkOrder, WorkOrderLink, WorkOrderStep
from . import deadlines, notices
from .events import event_emit
from .holders import Holder, province_of
from .locks import order_lock
from .serials import serial_next
from .templates import compiled, template_for

#: The business type whose order is handed to the customer's account manager (预受理).
PRE_ACCEPTANCE = "pre_acceptance"

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
    manager = None
    if kind == Kind.BUSINESS and columns.get("category") == PRE_ACCEPTANCE:
        manager = _account_manager(actor, details.get("account_manager", ""), customer)
        details["account_manager"] = manager.employee_no

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
    if appeal_of is not None:
        earlier = _appeals_of_same_complaint(appeal_of)
        if earlier or order.details.get("repeat") != "repeated":
            order.details["repeat"] = "repeated" if earlier else "first"
    timers = deadlines.plan_new_order(order)
    if idempotency_key:  # the unique key is the guard against a concurrent twin: a savepoint to catch it
        try:
            with transaction.atomic():
                order.save(force_insert=True)
        except IntegrityError:
            raise Conflict(_("A request with this idempotency key is already being processed."),
                           code="idempotency_conflict") from None
    else:
        order.save(force_insert=True)
    if appeal_of is not None:
        WorkOrderLink.objects.create(src=order, dst=appeal_of, kind=WorkOrderLink.Kind.APPEAL_OF)
    _created(actor, order, timers, text=description, notice=_("New %(kind)s %(serial)s") % {
        "kind": Kind(kind).label, "serial": order.serial})
    if manager is not None:
        _dispatch_to_account_manager(actor, order, tpl, manager)
    return order, True


def _account_manager(actor, employee_no: str, customer):
    """The account manager a pre-accepted business order goes to: a person of Kefu, active.

    Named by employee number (an account manager within the actor's reach, or the
    customer's own manager), or by default the customer's account manager in the CRM.
    """
    from kefu.iam.models import Position
    from kefu.iam.selectors import staff_by_employee_nos

    own = customer.manager if customer is not None and customer.manager_id else None
    if employee_no:
        if own is not None and own.employee_no == employee_no:
            person = own
        else:
            found, _missing = staff_by_employee_nos(actor=actor, employee_nos=[employee_no])
            person = found[0] if found and found[0].position == Position.ACCOUNT_MANAGER else None
        if person is None or not person.is_active:
            raise ValidationFailed(
                _("%(no)s is not an active account manager.") % {"no": employee_no}, code="invalid_order",
                details={"account_manager": _("Name an active account manager by employee number.")})
        return person
    if own is None or not own.is_active:
        raise ValidationFailed(
            _("The customer has no active account manager: name one for the pre-acceptance."), code="invalid_order",
            details={"account_manager": _("required")})
    return own


def _dispatch_to_account_manager(actor, order: WorkOrder, tpl, manager) -> None:
    """预受理: the order goes straight to the account manager, with their own deadline."""
    before = snapshot(order, ORDER_FIELDS)
    now = clock.now()
    start = order.station
    target = tpl.next_station(start, "dispatch") if "dispatch" in tpl.allowed_actions(start) else start
    order.station, order.dispatched_at, order.accepted_at = target, now, order.accepted_at or now
    order.holder_org, order.holder_team, order.holder_staff = manager.org, None, manager
    if target != start:
        order.station_entered_at = now
    text = _("Pre-accepted for account manager %(name)s (%(no)s).") % {
        "name": manager.name, "no": manager.employee_no}
    WorkOrderStep.objects.create(
        order=order, seq=2, at=now, actor=actor, actor_label=_label(actor), actor_org=actor.org, action="dispatch",
        from_station=start, to_station=target, text=text, holder_org=order.holder_org, holder_staff=manager,
        data={"account_manager": manager.employee_no},
    )
    deadlines.schedule_station(order, step_seq=2, final=False,
                               allowance=param_get("workorders.pre_acceptance.deadline"))
    order.version += 1
    order.save()
    audit_update(actor=actor, obj=order, before=before)
    notices.notify(order=order, kind="assigned", holder=Holder(org=manager.org, staff=manager),
                   text=_("%(serial)s was pre-accepted for you: %(title)s") % {
                       "serial": order.serial, "title": order.title})
    event_emit(order, "order.dispatch")


@transaction.atomic
def workorder_create_coordination(*, actor, origin: WorkOrder, to_org, text: str) -> WorkOrder:
    """Create the coordination order (协同单) that carries a forward of ``origin`` into ``to_org``'s queue.

    The same write path as any order: its first step, deadlines, audit entry,
    notice to the receiving organisation and ``order.created`` event.
    """
    version = template_for(kind=Kind.COORDINATION, org=to_org)
    tpl = compiled(version)
    now = clock.now()
    child = WorkOrder(
        serial=serial_next(Kind.COORDINATION), kind=Kind.COORDINATION, template_version=version, station=tpl.start,
        state=State.OPEN, priority=origin.priority, service_tier=origin.service_tier, customer=origin.customer,
        subscriber=origin.subscriber, channel=origin.channel, title=origin.title,
        description=(text or origin.description)[:5000], category=origin.category, creator=actor, org=to_org,
        holder_org=to_org, created_at=now, updated_at=now, station_entered_at=now,
    )
    timers = deadlines.plan_new_order(child)
    child.save(force_insert=True)
    WorkOrderLink.objects.create(src=child, dst=origin, kind=WorkOrderLink.Kind.CHILD_OF)
    _created(actor, child, timers, text=text, notice=_("%(org)s forwarded %(serial)s to you.") % {
        "org": origin.holder_org.name, "serial": origin.serial})
    return child


def _created(actor, order: WorkOrder, timers: list, *, text: str, notice: str) -> None:
    """What every new order gets once inserted: its first step, timers, audit entry, notice and event.

    The deadlines were set on the order before its INSERT (``deadlines.plan_new_order``); its
    timers go in one bulk insert.
    """
    WorkOrderStep.objects.create(
        order=order, seq=1, at=order.created_at, actor=actor, actor_label=_label(actor), actor_org=actor.org,
        action="create", to_station=order.station, text=(text or "")[:5000], holder_org=order.holder_org,
        holder_staff=order.holder_staff,
    )
    for t in timers:
        t.order = order  # the id exists now
    Timer.objects.bulk_create(timers)
    audit_create(actor=actor, obj=order, fields=ORDER_FIELDS)
    if order.holder_staff_id != actor.pk:
        notices.notify(order=order, kind="assigned", holder=Holder(org=order.holder_org, staff=order.holder_staff),
                       text=notice)
    event_emit(order, "order.created")


@transaction.atomic
def workorder_forward_returned(*, order_id: int, forward_id: int, by_org, actor=None, text: str,
                               failed: bool = False) -> WorkOrder:
    """A forward of order ``order_id`` came back: answered by ``by_org``, or its delivery failed.

    The order leaves the forwarded state once no other forward is still out;
    the history gets an ``answer`` (or ``forward_failed``) step, the version
    moves on, the change is audited and the event emitted, as for any action.
    """
    order = order_lock(order_id)
    if order is None:
        raise NotFound(_("Work order not found."), code="order_not_found")
    before = snapshot(order, ORDER_FIELDS)
    now = clock.now()
    still_out = order.forwards.exclude(state__in=("answered", "failed")).exclude(pk=forward_id).exists()
    if not still_out and order.state == State.FORWARDED:
        order.state = State.OPEN
    action = "forward_failed" if failed else "answer"
    seq = order.step_count + 1  # type: ignore[attr-defined]  # annotated by order_lock
    WorkOrderStep.objects.create(
        order=order, seq=seq, at=now, actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_label(actor) if getattr(actor, "pk", None) else by_org.name, actor_org=by_org,
        action=action, from_station=order.station, to_station=order.station, text=(text or "")[:5000],
        holder_org=order.holder_org, holder_team=order.holder_team, holder_staff=order.holder_staff,
        data={"forward_id": forward_id},
    )
    order.version += 1
    order.updated_at = now
    order.save()
    audit_update(actor=actor if getattr(actor, "pk", None) else by_org.name, obj=order, before=before)
    event_emit(order, f"order.{action}")
    return order


def _appeals_of_same_complaint(appealed: WorkOrder) -> int:
    """How many appeals the complaint behind ``appealed`` already has (appeals of its appeals included)."""
    root, seen = appealed, {appealed.pk}
    while root.kind == Kind.APPEAL:  # climb to the complaint the chain started from
        up = WorkOrder.objects.filter(links_in__src=root, links_in__kind=WorkOrderLink.Kind.APPEAL_OF).first()
        if up is None or up.pk in seen:
            break
        root = up
        seen.add(up.pk)
    found: set[int] = set()
    frontier = {root.pk}
    while frontier:  # every appeal linked to the complaint, directly or through another appeal
        frontier = set(WorkOrderLink.objects.filter(dst_id__in=frontier, kind=WorkOrderLink.Kind.APPEAL_OF)
                       .values_list("src_id", flat=True)) - found
        found |= frontier
    return len(found)


def _label(actor) -> str:
    return f"{actor.employee_no} {actor.name}" if getattr(actor, "pk", None) else str(actor)
