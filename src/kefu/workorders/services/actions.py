"""Acting on an order: the one write path for every action at every station.

``workorder_act`` checks the action against the order's template version and
the actor's right to act, applies it, writes the immutable history step, moves
deadlines, notifies, audits and emits the event — all in one transaction. The
``version`` the caller saw must still be current (optimistic locking): two
handlers acting at once, one wins, the other gets a 409 saying what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.iam.models import Staff, StaffStatus, Team
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import org_find

from .. import kinds, workflow
from ..kinds import Kind
from ..models import Satisfaction, State, WorkOrder, WorkOrderStep
from . import deadlines, notices
from .events import event_emit
from .forwarding import forward_answer_internal, forward_create
from .holders import Holder, current_holder, holder_when_entered, may_act, previous_holder, province_of
from .locks import order_lock
from .orders import ORDER_FIELDS, workorder_create
from .templates import compiled

if TYPE_CHECKING:
    from kefu.orgs.models import Organisation

#: Actions that record the result of handling (kept on the order as ``result``).
_RESULT_ACTIONS = {"process", "locate", "repair", "verify", "report", "answer"}
#: Actions that do not finish the station, so never need a late reason.
_STAYING = {"urge", "escalate", "forward", "adoption"}


@dataclass
class ActionInput:
    action: str
    version: int
    text: str = ""
    outcome: str = ""
    to_org: Organisation | None = None
    to_team: Team | None = None
    to_staff: Staff | None = None
    late_reason: str = ""
    satisfaction: int | None = None
    fields: dict = field(default_factory=dict)


def available_actions(actor, order: WorkOrder) -> list[str]:
    """Actions the template allows here and this actor may take (for buttons)."""
    if not order.is_open and order.station != "closed":
        return []
    tpl = compiled(order.template_version)
    allowed = tpl.allowed_actions(order.station) if order.station in tpl.stations else []
    out = []
    for action in allowed:
        if action == "urge":
            if has_perm(actor, "workorders.order.urge") or order.creator_id == actor.pk:
                out.append(action)
        elif action == "reopen":
            if order.kind in (Kind.COMPLAINT, Kind.APPEAL) and has_perm(actor, "workorders.order.create"):
                out.append(action)
        elif action == "adoption":
            # Only a suggestion judged valid has an adoption to tell; not after a withdrawal.
            if order.verdict == "valid" and order.state != State.WITHDRAWN and may_act(actor, order):
                out.append(action)
        elif order.state == State.FORWARDED and action != "escalate":
            continue  # waiting for the other organisation's answer
        elif may_act(actor, order):
            out.append(action)
    return out


@transaction.atomic
def workorder_act(*, actor, order_id: int, data: ActionInput, scope_check: bool = False) -> WorkOrder:
    """Apply ``data.action`` to order ``order_id``.

    ``scope_check``: for a caller that holds only an id (the API), an order outside the actor's scope that
    they never acted on is reported as not existing, as ``selectors.order_get`` would — decided on the row
    the lock loads, so the check costs no query of its own.
    """
    from ..selectors import order_acted_on, order_visible

    order = order_lock(order_id)
    if order is None or (scope_check and not order_visible(actor, order) and not order_acted_on(actor, order.pk)):
        raise NotFound(_("Work order not found."), code="order_not_found")
    if order.version != data.version:
        last = order.steps.order_by("-seq").first()
        raise Conflict(
            _("%(serial)s was changed by %(who)s (%(action)s) after you opened it; reload and try again.") % {
                "serial": order.serial, "who": last.actor_label if last else "—", "action": last.action if last else "—"},
            code="stale", details={"current_version": order.version, "station": order.station,
                                   "last_action": last.action if last else None},
        )
    action = data.action
    if action == "reopen":
        return _reopen_as_appeal(actor, order, data)
    if action not in available_actions(actor, order):
        tpl = compiled(order.template_version)
        allowed = tpl.allowed_actions(order.station) if order.station in tpl.stations else []
        if action in allowed:
            raise PermissionDenied(_("You do not hold this order, so you cannot %(action)s it.") % {
                "action": action_label(action)}, code="not_holder")
        raise ValidationFailed(
            _("“%(action)s” is not possible at station “%(station)s”; possible: %(allowed)s.") % {
                "action": action_label(action), "station": order.station,
                "allowed": "、".join(action_label(a) for a in allowed) or "—"},
            code="illegal_action", details={"allowed": allowed},
        )
    text = (data.text or "").strip()
    if action in workflow.NEEDS_TEXT and not text:
        raise ValidationFailed(_("Write the opinion or result for “%(action)s”.") % {"action": action_label(action)},
                               code="text_required", details={"text": _("required")})
    if len(text) > 5000:
        raise ValidationFailed(_("The text is too long (at most 5000 characters)."), code="too_long")
    now = clock.now()
    overdue = order.station_due_at is not None and now > order.station_due_at
    late_reason = (data.late_reason or "").strip()[:500]
    if overdue and action not in _STAYING and not late_reason:
        raise ValidationFailed(_("This station is finished late: give the reason for the delay."),
                               code="late_reason_required", details={"late_reason": _("required")})

    before = snapshot(order, ORDER_FIELDS)
    tpl = compiled(order.template_version)
    from_station = order.station
    outcome = _outcome(order, data)
    try:
        target = tpl.next_station(from_station, action, outcome or None)
    except workflow.IllegalAction:
        raise ValidationFailed(_("Choose a result for this action."), code="outcome_required",
                               details={"outcomes": tpl.station(from_station).outcomes(action)}) from None
    step_data: dict = {}
    _apply_effects(actor, order, data, action, text, outcome, now, step_data)
    moved = target != from_station
    if moved:
        _enter_station(order, tpl, target, action, data, actor)
    seq = order.step_count + 1  # type: ignore[attr-defined]  # annotated by order_lock
    WorkOrderStep.objects.create(
        order=order, seq=seq, at=now, actor=actor, actor_label=f"{actor.employee_no} {actor.name}",
        actor_org=actor.org, action=action, outcome=outcome, from_station=from_station, to_station=target,
        text=text, time_spent=int((now - order.station_entered_at).total_seconds()) if moved else 0,
        overdue=overdue if action not in _STAYING else False, late_reason=late_reason,
        holder_org=order.holder_org, holder_team=order.holder_team, holder_staff=order.holder_staff, data=step_data,
    )
    if moved:
        order.station_entered_at = now
        final = tpl.is_final(target)
        if final:
            order.state = State.WITHDRAWN if action == "withdraw" else State.CLOSED
            order.closed_at = now
        deadlines.schedule_station(order, step_seq=seq, final=final)
        if not final and order.holder_staff_id != actor.pk:
            notices.notify(order=order, kind="assigned", holder=current_holder(order),
                           text=_("%(serial)s is now with you at “%(station)s”.") % {
                               "serial": order.serial, "station": tpl.station(target).name})
    order.version += 1
    order.updated_at = now
    order.save()
    if order.kind == Kind.COORDINATION and moved and tpl.is_final(target) and action in ("answer", "return"):
        forward_answer_internal(child=order, answer=text if action == "answer" else _("Refused: %(text)s") % {
            "text": text})
    # The answer to an action shows the order with its customer: the action's own entry names that customer,
    # so the change is the read too (one entry, found by the audit search by customer).
    audit_update(actor=actor, obj=order, before=before,
                 conditions={"customers": [order.customer_id]} if order.customer_id else None)
    event_emit(order, f"order.{action}")
    return order


def _outcome(order: WorkOrder, data: ActionInput) -> str:
    if data.action == "adoption":
        adoption = (data.outcome or "").strip()
        if adoption not in kinds.ADOPTION_OUTCOMES:
            raise ValidationFailed(_("Say whether the suggestion is adopted, under study or not adopted."),
                                   code="adoption_required", details={"outcome": list(kinds.ADOPTION_OUTCOMES)})
        return adoption
    if data.action == "review" and order.kind == Kind.SUGGESTION:
        verdict = (data.outcome or "").strip()
        if verdict not in kinds.SUGGESTION_VERDICTS:
            raise ValidationFailed(_("Say whether the suggestion is valid or invalid."), code="verdict_required",
                                   details={"outcome": _("required")})
        return verdict
    return (data.outcome or "").strip()[:16]


def _apply_effects(actor, order, data: ActionInput, action, text, outcome, now, step_data) -> None:
    """What an action does to the order besides moving it."""
    if action == "accept" and order.accepted_at is None:
        order.accepted_at = now
    elif action in ("review", "verify"):
        order.reviewed_at = now
        if order.kind == Kind.SUGGESTION:
            order.verdict = outcome
            category = (data.fields or {}).get("category", order.category)
            if category and category not in kinds.SUGGESTION_CATEGORIES:
                raise ValidationFailed(_("Unknown suggestion category."), code="invalid_category")
            order.category = category or order.category
    elif action == "dispatch":
        order.dispatched_at = now
    elif action in _RESULT_ACTIONS:
        order.processed_at = now
        order.result = text
    elif action == "reply":
        _check_satisfaction(order, data.satisfaction)
        order.reply_text = text
        order.satisfaction = data.satisfaction
        order.replied_at = now
    elif action == "withdraw":
        order.reply_text = text
    elif action == "adoption":
        # What the customer is told about their suggestion; the latest feedback is the order's.
        order.details = {**order.details, "adoption": outcome, "adoption_text": text, "adoption_at": now.isoformat()}
        step_data["told_customer"] = order.channel
    elif action == "urge":
        order.urge_count += 1
        notices.notify(order=order, kind="urge", holder=current_holder(order),
                       text=_("%(who)s urges %(serial)s: %(text)s") % {
                           "who": actor.name, "serial": order.serial, "text": text or "—"})
    elif action == "escalate":
        _escalate(actor, order, text, step_data)
    elif action == "forward":
        if data.to_org is None:
            raise ValidationFailed(_("Choose the organisation to forward to."), code="target_required",
                                   details={"to_org": _("required")})
        fwd = forward_create(actor=actor, order=order, to_org=data.to_org, text=text)
        step_data["forward_id"] = fwd.pk
        step_data["to_org"] = data.to_org.name


def _check_satisfaction(order, satisfaction) -> None:
    if satisfaction is None:
        if order.kind in (Kind.COMPLAINT, Kind.APPEAL):
            raise ValidationFailed(_("Record the customer's satisfaction with the reply."),
                                   code="satisfaction_required", details={"satisfaction": _("required")})
        return
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Satisfaction must be one of the five levels."), code="invalid_satisfaction")


def _escalate(actor, order, text, step_data) -> None:
    """上报: the organisation above takes the order (its supervisors are told)."""
    above = order.holder_org.parent
    if above is None:
        raise ValidationFailed(_("There is no organisation above to escalate to."), code="no_parent")
    step_data["from_org"] = order.holder_org.name
    order.holder_org, order.holder_team, order.holder_staff = above, None, None
    order.escalation_level += 1
    notices.notify(order=order, kind="escalation", holder=Holder(org=above),
                   text=_("%(serial)s escalated by %(who)s: %(text)s") % {
                       "serial": order.serial, "who": actor.name, "text": text})


def _enter_station(order, tpl, target, action, data: ActionInput, actor) -> None:
    """Set the holder for the station the order enters."""
    rule = tpl.station(target).holder
    holder: Holder | None = None
    if action == "return":
        holder = holder_when_entered(order, target)
    elif rule == "creator":
        holder = Holder(org=order.creator.org, staff=order.creator)
    elif rule == "province":
        holder = Holder(org=province_of(order.org))
    elif rule == "previous":
        holder = previous_holder(order)
    elif rule.startswith("org:"):
        org = org_find(code=rule[4:], active_only=True)
        holder = Holder(org=org) if org else None
    if rule == "assignee" and action != "return":
        holder = _assignee(data) or (current_holder(order) if action not in ("dispatch",) else None)
        if holder is None:
            raise ValidationFailed(_("Choose who should handle the order next."), code="target_required",
                                   details={"to_org": _("required")})
    if holder is None:
        holder = current_holder(order)
    order.holder_org, order.holder_team, order.holder_staff = holder.org, holder.team, holder.staff
    order.station = target


def _assignee(data: ActionInput) -> Holder | None:
    if data.to_staff is not None:
        if data.to_staff.status != StaffStatus.ACTIVE:
            raise ValidationFailed(_("%(name)s is not active.") % {"name": data.to_staff.name}, code="target_inactive")
        return Holder(org=data.to_staff.org, team=data.to_staff.team, staff=data.to_staff)
    if data.to_team is not None:
        return Holder(org=data.to_team.org, team=data.to_team)
    if data.to_org is not None:
        if not data.to_org.active:
            raise ValidationFailed(_("%(org)s is deactivated.") % {"org": data.to_org.name}, code="target_inactive")
        return Holder(org=data.to_org)
    return None


def _reopen_as_appeal(actor, order, data: ActionInput) -> WorkOrder:
    if order.state not in (State.CLOSED, State.WITHDRAWN) or order.kind not in (Kind.COMPLAINT, Kind.APPEAL):
        raise ValidationFailed(_("Only a closed complaint can be reopened as an appeal."), code="illegal_action")
    if not has_perm(actor, "workorders.order.create"):
        raise PermissionDenied(_("You may not create work orders."))
    fields = {"source": data.fields.get("source", "customer"), "category": order.category, "level": order.level}
    appeal, _created = workorder_create(
        actor=actor, kind=Kind.APPEAL, title=(_("Appeal: %(title)s") % {"title": order.title})[:200],
        description=(data.text or "").strip() or order.description, fields=fields, customer=order.customer,
        subscriber=order.subscriber, channel=order.channel, appeal_of=order,
    )
    return appeal


def action_label(action: str) -> str:
    from ..labels import action_name

    return action_name(action)
