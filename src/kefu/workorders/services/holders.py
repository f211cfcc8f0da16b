"""Who holds an order at a station, who may act on it, and who supervises."""

from __future__ import annotations

from dataclasses import dataclass

from kefu.iam.models import Staff, StaffStatus, Team
from kefu.iam.permissions import has_perm
from kefu.iam.selectors import staff_supervisors_of
from kefu.orgs.models import Organisation, OrgKind
from kefu.orgs.selectors import org_by_ids

from ..models import PartySetting, WorkOrder, WorkOrderStep


@dataclass(frozen=True)
class Holder:
    org: Organisation
    team: Team | None = None
    staff: Staff | None = None

    def label(self) -> str:
        if self.staff is not None:
            return f"{self.staff.name}（{self.staff.employee_no}）"
        if self.team is not None:
            return f"{self.team.name} · {self.org.name}"
        return self.org.name


def province_of(org: Organisation) -> Organisation:
    """The province center above ``org`` (or the top of its tree).

    An external party (a handset maker, say) is in no province's tree: its
    orders go to the base province of its coordination settings, if it has one.
    """
    if org.kind == OrgKind.PROVINCE:
        return org  # the common case, an order taken at the province center itself: no query
    if org.kind == OrgKind.EXTERNAL:
        base = (PartySetting.objects.filter(org=org, base_province__isnull=False, base_province__active=True)
                .select_related("base_province").first())
        if base is not None and base.base_province is not None:
            return base.base_province
    ids = [int(x) for x in org.path.strip("/").split("/") if x]
    chain = org_by_ids(ids)
    for pk in reversed(ids):
        o = chain.get(pk)
        if o is not None and o.kind == OrgKind.PROVINCE:
            return o
    return chain.get(ids[0], org) if ids else org


def current_holder(order: WorkOrder) -> Holder:
    return Holder(org=order.holder_org, team=order.holder_team, staff=order.holder_staff)


def holder_when_entered(order: WorkOrder, station: str) -> Holder | None:
    """Holder recorded the last time the order entered ``station`` (for returns)."""
    step = (WorkOrderStep.objects.filter(order=order, to_station=station).exclude(from_station=station)
            .select_related("holder_org", "holder_team", "holder_staff").order_by("-seq").first())
    if step is None or step.holder_org is None:
        return None
    return Holder(org=step.holder_org, team=step.holder_team, staff=step.holder_staff)


def previous_holder(order: WorkOrder) -> Holder | None:
    """Holder before the station the order is leaving (rule ``previous``)."""
    moves = list(WorkOrderStep.objects.filter(order=order).exclude(to_station="")
                 .exclude(from_station__exact="").select_related("holder_org", "holder_team", "holder_staff")
                 .order_by("-seq")[:20])
    moves = [s for s in moves if s.from_station != s.to_station]
    if len(moves) >= 2 and moves[1].holder_org is not None:
        s = moves[1]
        return Holder(org=s.holder_org, team=s.holder_team, staff=s.holder_staff)
    return None


def may_act(actor: Staff, order: WorkOrder) -> bool:
    """The holder acts; so may supervisors with ``handle_any`` in scope, and the creator at creator stations."""
    if has_perm(actor, "workorders.order.handle_any"):
        from ..selectors import order_visible

        return order_visible(actor, order)
    if not has_perm(actor, "workorders.order.handle"):
        return False
    if order.holder_staff_id is not None:
        return order.holder_staff_id == actor.pk
    if order.holder_team_id is not None:
        return actor.team_id == order.holder_team_id
    # An organisation's queue is worked by its people and those of the organisations above it,
    # the same people who can see the order (see selectors.scoped_orders).
    return actor.org_id is not None and order.holder_org.path.startswith(actor.org.path)


def supervisors_of(holder: Holder, *, org_memo: dict | None = None) -> list[Staff]:
    """Who is told when the holder is late: the team leader, else the organisation's supervisors.

    ``org_memo`` keeps each organisation's supervisors for a batch (the timer sweep).
    """
    if holder.staff is not None and holder.staff.team_id and holder.staff.team.leader_id:
        return [holder.staff.team.leader]
    if holder.team is not None and holder.team.leader_id:
        return [holder.team.leader]
    if org_memo is None:
        return staff_supervisors_of(holder.org, limit=10)
    key = ("org", holder.org.pk)
    if key not in org_memo:
        org_memo[key] = staff_supervisors_of(holder.org, limit=10)
    return org_memo[key]


def recipients_of(holder: Holder, *, org_memo: dict | None = None) -> list[Staff]:
    """Who is told about the holder's order: the person, the team, else the organisation's supervisors."""
    if holder.staff is not None:
        return [holder.staff]
    if holder.team is not None:
        return list(holder.team.members.filter(status=StaffStatus.ACTIVE)[:50])
    return supervisors_of(holder, org_memo=org_memo)
