"""Reads of work orders, always limited by organisation scope and permission.

An order is visible to people in the subtree of its owning organisation or of
the organisation holding it (a city branch sees what was dispatched to it).
Multi-condition queries are logged in the audit log (they read customer data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from kefu.audit.services import audit_search
from kefu.core.errors import NotFound
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import SCOPE_ALL

from .models import State, WorkOrder

OPEN_STATES = (State.OPEN, State.FORWARDED)


def scoped_orders(actor) -> QuerySet:
    qs = WorkOrder.objects.all()
    if has_perm(actor, SCOPE_ALL):
        return qs
    if actor.org_id is None:
        return qs.none()
    path = actor.org.path
    return qs.filter(Q(org__path__startswith=path) | Q(holder_org__path__startswith=path)
                     | Q(creator=actor) | Q(holder_staff=actor))


def order_visible(actor, order: WorkOrder) -> bool:
    """In scope (used to decide who may act; having acted once is not enough to act again)."""
    return scoped_orders(actor).filter(pk=order.pk).exists()


_RELATED = ("customer", "subscriber", "creator", "org", "holder_org", "holder_team", "holder_staff",
            "template_version", "template_version__template")


def order_get(*, actor, order_id=None, serial: str | None = None) -> WorkOrder:
    qs = scoped_orders(actor).select_related(*_RELATED)
    try:
        lookup = {"serial": serial} if serial else {"pk": order_id}
        order = qs.filter(**lookup).first()
        if order is None:
            # Whoever acted on an order may still read it after it moved out of their scope.
            order = qs.model.objects.select_related(*_RELATED).filter(steps__actor=actor, **lookup).distinct().first()
        if order is None:
            raise WorkOrder.DoesNotExist
    except (WorkOrder.DoesNotExist, ValueError, TypeError):
        from django.utils.translation import gettext as _

        raise NotFound(_("Work order not found."), code="order_not_found") from None
    return order


def my_work(*, actor, scope: str = "mine") -> QuerySet:
    """Open orders I hold, my team holds, or my organisation holds (unassigned), soonest deadline first."""
    base = WorkOrder.objects.filter(state__in=OPEN_STATES).select_related("holder_org", "holder_staff", "customer")
    if scope == "team":
        if not actor.team_id:
            return base.none()
        qs = base.filter(holder_team_id=actor.team_id, holder_staff__isnull=True)  # wo_holder_team_due
    elif scope == "org":
        qs = base.filter(holder_org_id=actor.org_id, holder_staff__isnull=True, holder_team__isnull=True)
    else:
        qs = base.filter(holder_staff=actor)  # wo_holder_staff_due
    return qs.order_by("station_due_at", "id")


@dataclass
class OrderFilters:
    serial: str = ""
    kind: str = ""
    state: str = ""
    station: str = ""
    category: str = ""
    level: str = ""
    source: str = ""
    complainant_type: str = ""
    channel: str = ""
    place: str = ""
    reason: str = ""          # text in title, description or result
    complainant: str = ""     # customer name or contact number
    handler: str = ""         # employee number of the holder or of anyone who acted
    org_id: int | None = None
    overdue: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def as_conditions(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


def order_query(*, actor, filters: OrderFilters, log: bool = True) -> QuerySet:
    """Multi-condition query (SPEC §4), scoped; the query itself is audited with its count."""
    f = filters
    qs = scoped_orders(actor).select_related("holder_org", "holder_staff", "customer")
    if f.serial:
        qs = qs.filter(serial=f.serial.strip())
    for name in ("kind", "state", "station", "category", "level", "source", "complainant_type", "channel"):
        value = getattr(f, name)
        if value:
            qs = qs.filter(**{name: value})
    if f.place:
        qs = qs.filter(place__icontains=f.place)
    if f.reason:
        qs = qs.filter(Q(title__icontains=f.reason) | Q(description__icontains=f.reason) | Q(result__icontains=f.reason))
    if f.complainant:
        qs = qs.filter(Q(customer__name__startswith=f.complainant) | Q(contact_number=f.complainant)
                       | Q(subscriber__number=f.complainant))
    if f.handler:
        qs = qs.filter(Q(holder_staff__employee_no=f.handler) | Q(steps__actor__employee_no=f.handler)).distinct()
    if f.org_id:
        from kefu.orgs.models import Organisation

        org = Organisation.objects.filter(pk=f.org_id).first()
        qs = qs.filter(Q(org__path__startswith=org.path) | Q(holder_org__path__startswith=org.path)) if org else qs.none()
    if f.overdue is not None:
        qs = qs.filter(is_overdue=f.overdue)
    if f.created_from:
        qs = qs.filter(created_at__gte=f.created_from)
    if f.created_to:
        qs = qs.filter(created_at__lt=f.created_to)
    qs = qs.order_by("-created_at", "-id")
    if log:
        audit_search(actor=actor, object_type="workorders.workorder", conditions=f.as_conditions(),
                     result_count=qs.count())
    return qs


def supervision(*, actor, what: str = "overdue", kind: str = "", org_id: int | None = None) -> QuerySet:
    """预警/超时监督: open orders overdue, or warned and not yet overdue, in scope."""
    qs = scoped_orders(actor).filter(state__in=OPEN_STATES).select_related("holder_org", "holder_staff", "customer")
    # Uses wo_supervision (state, is_overdue, station_due_at).
    qs = qs.filter(warned=True, is_overdue=False) if what == "warning" else qs.filter(is_overdue=True)
    if kind:
        qs = qs.filter(kind=kind)
    if org_id:
        from kefu.orgs.models import Organisation

        org = Organisation.objects.filter(pk=org_id).first()
        qs = qs.filter(holder_org__path__startswith=org.path) if org else qs.none()
    return qs.order_by("station_due_at", "id")


def customer_orders(*, actor, customer_id: int, limit: int = 20) -> list[WorkOrder]:
    """The customer's latest orders in the actor's scope, for the 360 page; the read is audited."""
    orders = list(scoped_orders(actor).filter(customer_id=customer_id)  # wo_customer_created
                  .select_related("holder_org", "holder_staff", "customer").order_by("-created_at")[:limit])
    audit_search(actor=actor, object_type="workorders.workorder", conditions={"customer": customer_id},
                 result_count=len(orders))
    return orders


# --- suggestion digests ------------------------------------------------------------


def suggestion_digest_list(*, actor) -> QuerySet:
    """Digests the actor may read: those sent to an organisation in their subtree (all, with global scope)."""
    from kefu.orgs.selectors import scope_queryset

    from .models import SuggestionDigest

    return scope_queryset(SuggestionDigest.objects.select_related("org"), actor).order_by("-period_end")


def suggestion_digest_get(*, actor, digest_id: int):
    from django.utils.translation import gettext as _

    digest = suggestion_digest_list(actor=actor).filter(pk=digest_id).first()
    if digest is None:
        raise NotFound(_("Suggestion digest not found."), code="digest_not_found")
    return digest


def suggestion_digest_rows(digest) -> list[dict]:
    """The digest's categories with their labels, for pages and answers."""
    from .kinds import SUGGESTION_CATEGORIES

    return [{**c, "label": str(SUGGESTION_CATEGORIES.get(c["category"], c["category"]))} for c in digest.categories]
