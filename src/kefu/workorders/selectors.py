"""Reads of work orders, always limited by organisation scope and permission.

An order is visible to people in the subtree of its owning organisation or of
the organisation holding it (a city branch sees what was dispatched to it).
Every read that shows orders is recorded in the audit log (orders carry
customer data): opening one order, and the rows a list actually shows, with
the customers behind them — one entry per request (``kefu.audit.reads``).
Multi-condition queries also record their conditions and result count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from kefu.audit.reads import audit_read, audited
from kefu.core.errors import NotFound
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import SCOPE_ALL

from .models import State, WorkOrder

OPEN_STATES = (State.OPEN, State.FORWARDED)
ORDER_TYPE = "workorders.workorder"


def _serial(order: WorkOrder) -> str:
    return order.serial


def _shown(qs: QuerySet, actor) -> QuerySet:
    """``qs`` recording the orders (and their customers) it shows."""
    return audited(qs, actor=actor, object_type=ORDER_TYPE, label=_serial)


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
    """One order in scope (or acted on by ``actor``), else ``NotFound``; the read is audited."""
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
    return order_shown(actor=actor, order=order)


def order_shown(*, actor, order: WorkOrder) -> WorkOrder:
    """Record that ``order`` with its customer is shown to ``actor`` (one entry per request), e.g. the order
    an action answers with: the action's own audit entry names the order, not its customer."""
    audit_read(actor=actor, object_type=ORDER_TYPE, items=[(order.pk, order.serial)], customers=[order.customer_id])
    return order



def attachment_get(*, actor, attachment_id):
    """An attachment of an order the actor may read. One on an order outside their scope is
    answered exactly like an id that does not exist, so ids reveal nothing."""
    from django.utils.translation import gettext as _

    from .models import Attachment

    att = Attachment.objects.select_related("order").filter(pk=attachment_id).first()
    if att is not None:
        try:
            order_get(actor=actor, order_id=att.order_id)
        except NotFound:
            att = None
    if att is None:
        raise NotFound(_("Attachment not found."), code="attachment_not_found")
    return att

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
    return _shown(qs.order_by("station_due_at", "id"), actor)


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
    """Multi-condition query (SPEC §4), scoped; the query is audited with its count and the rows shown.

    ``log=False`` is for the export job, which records the export itself.
    """
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
        audit_read(actor=actor, object_type=ORDER_TYPE, conditions=f.as_conditions(), result_count=qs.count())
        qs = _shown(qs, actor)
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
    return _shown(qs.order_by("station_due_at", "id"), actor)


def customer_orders(*, actor, customer_id: int, limit: int = 20) -> list[WorkOrder]:
    """The customer's latest orders in the actor's scope, for the 360 page; the read is audited.

    ``NotFound`` for a customer outside the actor's organisations, as for one that does not exist.
    """
    from kefu.crm.selectors import customer_get

    customer_get(actor=actor, customer_id=customer_id)
    orders = list(scoped_orders(actor).filter(customer_id=customer_id)  # wo_customer_created
                  .select_related("holder_org", "holder_staff", "customer").order_by("-created_at")[:limit])
    audit_read(actor=actor, object_type=ORDER_TYPE, items=[(o.pk, o.serial) for o in orders],
               customers=[customer_id], conditions={"customer": customer_id}, result_count=len(orders))
    return orders


def export_for_download(*, actor, export_id: int):
    """The actor's finished export, or ``None``; handing out its file is recorded as a read
    (the request of the export recorded its conditions)."""
    from .models import Export

    exp = Export.objects.filter(pk=export_id, owner=actor, state=Export.State.DONE).first()
    if exp is None or not exp.file:
        return None
    audit_read(actor=actor, object_type="workorders.export", items=[(exp.pk, str(exp))], result_count=exp.total,
               note=f"export file downloaded: {exp.total} orders")
    return exp


def customer_for_order_form(*, actor, customer_id: int):
    """The customer an order is being created for (name, tier, first number shown on the form),
    in the actor's scope, or ``None``; showing it is a recorded read."""
    from kefu.crm.selectors import customer_get

    try:
        customer = customer_get(actor=actor, customer_id=customer_id)
    except NotFound:
        return None
    audit_read(actor=actor, object_type="crm.customer", items=[(customer.pk, customer.name)], customers=[customer.pk],
               note="work order form")
    return customer


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
