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
from kefu.orgs.selectors import SCOPE_ALL, org_find, scope_queryset

from .kinds import Kind
from .models import (
    Attachment,
    BusinessCalendar,
    Endpoint,
    Export,
    Forward,
    Notice,
    ProcessTemplate,
    State,
    WebhookSubscription,
    WorkOrder,
    WorkOrderLink,
    WorkOrderStep,
)

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
    """In scope (used to decide who may act; having acted once is not enough to act again).

    ``scoped_orders``'s rule decided on the loaded order, without a query: every order that is acted on
    or shown is loaded with its organisation and holding organisation (``order_get``, the action's lock).
    """
    if has_perm(actor, SCOPE_ALL):
        return True
    if actor.org_id is None:
        return False
    if actor.pk in (order.creator_id, order.holder_staff_id):
        return True
    path = actor.org.path
    return order.org.path.startswith(path) or order.holder_org.path.startswith(path)


def order_acted_on(actor, order_id: int) -> bool:
    """Whether ``actor`` took a step of the order (who did may still read it out of their scope)."""
    return WorkOrderStep.objects.filter(order_id=order_id, actor=actor).exists()  # workorderstep (order, seq)


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


# customer_id: the audit entry of the page names the customers behind the rows (no join needed).
_ROW_FIELDS = ("id", "serial", "kind", "state", "station", "priority", "service_tier", "title", "created_at",
               "station_due_at", "is_overdue", "customer_id", "holder_org__code", "holder_staff__employee_no")


def my_work_rows(*, actor, scope: str = "mine") -> QuerySet:
    """``my_work`` with only the columns a list row shows: no customer join, no wide related rows
    (index wo_holder_*_due)."""
    return my_work(actor=actor, scope=scope).select_related(None).select_related(
        "holder_org", "holder_staff").only(*_ROW_FIELDS)


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
        org = org_find(org_id=f.org_id)
        qs = qs.filter(Q(org__path__startswith=org.path) | Q(holder_org__path__startswith=org.path)) if org else qs.none()
    if f.overdue is not None:
        qs = qs.filter(is_overdue=f.overdue)
    if f.created_from:
        qs = qs.filter(created_at__gte=f.created_from)
    if f.created_to:
        qs = qs.filter(created_at__lt=f.created_to)
    qs = qs.order_by("-created_at", "-id")
    if log:
        count = qs.count()
        audit_read(actor=actor, object_type=ORDER_TYPE, conditions=f.as_conditions(), result_count=count)
        qs = _shown(qs, actor)
        qs.match_count = count  # type: ignore[attr-defined]  # the API's paginator reuses it: one COUNT
    return qs


def supervision(*, actor, what: str = "overdue", kind: str = "", org_id: int | None = None) -> QuerySet:
    """预警/超时监督: open orders overdue, or warned and not yet overdue, in scope."""
    qs = scoped_orders(actor).filter(state__in=OPEN_STATES).select_related("holder_org", "holder_staff", "customer")
    # Uses wo_supervision (state, is_overdue, station_due_at).
    qs = qs.filter(warned=True, is_overdue=False) if what == "warning" else qs.filter(is_overdue=True)
    if kind:
        qs = qs.filter(kind=kind)
    if org_id:
        org = org_find(org_id=org_id)
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


def order_steps(order: WorkOrder, *, related=("holder_org", "holder_staff")) -> QuerySet:
    """An order's history, oldest step first."""
    return order.steps.select_related(*related).order_by("seq")


def order_links_out(order: WorkOrder) -> QuerySet:
    return WorkOrderLink.objects.filter(src=order).select_related("dst")


def order_links_in(order: WorkOrder) -> QuerySet:
    return WorkOrderLink.objects.filter(dst=order).select_related("src")


def order_forwards(order: WorkOrder) -> QuerySet:
    return Forward.objects.filter(order=order).select_related("to_org", "child_order")


# --- notices, exports, archive ------------------------------------------------------


def notice_list(*, actor, unread: bool = False) -> QuerySet:
    """The actor's notices, newest first."""
    qs = Notice.objects.filter(recipient=actor).select_related("order")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at")


def notices_unread(*, actor, limit: int = 20) -> QuerySet:
    """Unread notices shown on the my-work page."""
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).select_related("order")[:limit]


def notice_exists(*, actor, notice_id) -> bool:
    return Notice.objects.filter(pk=notice_id, recipient=actor).exists()


def export_find(*, actor, export_id, done: bool = False) -> Export | None:
    """One of the actor's own exports (only finished ones with ``done``)."""
    qs = Export.objects.filter(pk=export_id, owner=actor)
    if done:
        qs = qs.filter(state=Export.State.DONE)
    return qs.first()


def forward_archive(*, actor, state: str = "") -> QuerySet:
    """Forwards archived at an organisation in the actor's scope, newest first."""
    qs = scope_queryset(Forward.objects.select_related("order", "from_org", "to_org", "child_order"), actor,
                        field="archive_org")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at")


# --- coordination settings and templates --------------------------------------------


def endpoints_by_org() -> dict[int, Endpoint]:
    return {e.org_id: e for e in Endpoint.objects.all()}


def webhook_subscription_list() -> QuerySet:
    return WebhookSubscription.objects.order_by("name")


def business_calendar_list(*, actor) -> QuerySet:
    """Business calendars of organisations in the actor's subtree (all, with scope.all_orgs)."""
    return scope_queryset(BusinessCalendar.objects.select_related("org"), actor).order_by("org__path")


def party_base_provinces() -> dict[int, int | None]:
    """Each external party's base province id (TD chain), by the party's organisation id."""
    from .models import PartySetting

    return dict(PartySetting.objects.values_list("org_id", "base_province_id"))


def template_list(*, kind: str = "", versions: bool = False) -> QuerySet:
    """Process templates by kind and name (with their versions prefetched for the editor's list)."""
    qs = ProcessTemplate.objects.select_related("org").order_by("kind", "name")
    if versions:
        qs = qs.prefetch_related("versions")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def template_find(*, template_id) -> ProcessTemplate | None:
    return ProcessTemplate.objects.select_related("org").filter(pk=template_id).first()


def template_versions(template: ProcessTemplate, *, limit: int = 20) -> QuerySet:
    return template.versions.select_related("created_by").order_by("-number")[:limit]


# --- system doors (IVR) -----------------------------------------------------------------


def order_by_id(order_id) -> WorkOrder:
    """An order by id, whatever the scope, for doors that act for the caller (raises DoesNotExist)."""
    return WorkOrder.objects.select_related("template_version").get(pk=order_id)


def customer_latest_open_order(customer_id: int) -> WorkOrder | None:
    """The customer's most recent open order (wo_customer_created, newest first)."""
    return (WorkOrder.objects.filter(customer_id=customer_id, state__in=OPEN_STATES)
            .select_related("template_version").order_by("-created_at", "-id").first())


def order_by_serials(serials: list[str]) -> WorkOrder | None:
    """The first order with one of these serials (unique index on serial)."""
    return WorkOrder.objects.filter(serial__in=serials).select_related("template_version", "customer",
                                                                       "subscriber").first()


def customer_open_orders(customer_id: int, *, limit: int = 5) -> list[WorkOrder]:
    """The customer's newest open orders, for the agent's screen pop."""
    return list(WorkOrder.objects.filter(customer_id=customer_id, state__in=OPEN_STATES).order_by("-created_at")[:limit])


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


# --- Interval figures (read by kefu.kpi) --------------------------------------------------------

#: Work-order channels in the contact center's words, so both land in one channel column.
_CONTACT_CHANNEL = {"phone": "voice", "web": "chat"}


def order_facts(*, since: datetime, until: datetime, repeat_days: int) -> list[dict]:
    """Work-order events in [since, until): created (complaints, repeats, appeals), closed (late or not),
    gone overdue, rated by the customer at reply. Each is ``{"at", "org_id", "channel", "staff_id",
    "measures"}``; not a person's read, so not audited."""
    from datetime import timedelta

    from django.db.models.functions import Coalesce

    cols = ("pk", "kind", "org_id", "channel", "creator_id", "customer_id", "contact_number", "created_at")
    out: list[dict] = []

    def fact(at, org, channel, staff, **measures) -> dict:
        return {"at": at, "org_id": org, "channel": _CONTACT_CHANNEL.get(channel, channel), "staff_id": staff,
                "measures": measures}

    # Uses the created_at range; kinds filtered in Python (a window holds minutes to hours of orders).
    created = list(WorkOrder.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
                   .values_list(*cols))
    complaints = [r for r in created if r[1] == "complaint"]
    earlier: dict[object, list] = {}
    if complaints:
        customers = {r[5] for r in complaints if r[5]}
        numbers = {r[6] for r in complaints if r[6]}
        window = min(r[7] for r in complaints) - timedelta(days=repeat_days)
        for cust, number, at in (WorkOrder.objects.filter(kind="complaint", created_at__gte=window, created_at__lt=until)
                                 .filter(Q(customer_id__in=customers) | Q(contact_number__in=numbers)).order_by()
                                 .values_list("customer_id", "contact_number", "created_at")):
            for key in (("c", cust), ("n", number)):
                if key[1]:
                    earlier.setdefault(key, []).append(at)
    span = timedelta(days=repeat_days)
    for _pk, kind, org, channel, creator, cust, number, at in created:
        m = {"orders_created": 1}
        if kind == "complaint":
            m["complaints"] = 1
            before = [t for key in (("c", cust), ("n", number)) if key[1] for t in earlier.get(key, [])]
            m["repeat_complaints"] = int(any(at - span <= t < at for t in before))
        elif kind == "appeal":
            m["appeals"] = 1
        out.append(fact(at, org, channel, creator, **m))
    for org, channel, creator, closed, late in (WorkOrder.objects.filter(state=State.CLOSED, closed_at__gte=since,
                                                                     closed_at__lt=until).order_by()
                                            .values_list("org_id", "channel", "creator_id", "closed_at",
                                                         "overdue_since")):
        out.append(fact(closed, org, channel, creator, orders_closed=1, orders_closed_late=int(late is not None)))
    for org, channel, creator, late_at in (WorkOrder.objects.filter(overdue_since__gte=since, overdue_since__lt=until)
                                      .order_by().values_list("org_id", "channel", "creator_id", "overdue_since")):
        out.append(fact(late_at, org, channel, creator, orders_overdue=1))
    rated = (WorkOrder.objects.filter(satisfaction__isnull=False).annotate(rated_at=Coalesce("replied_at", "closed_at"))
             .filter(rated_at__gte=since, rated_at__lt=until).order_by()
             .values_list("org_id", "channel", "creator_id", "rated_at", "satisfaction"))
    for org, channel, creator, rated_at, level in rated:
        out.append(fact(rated_at, org, channel, creator, replies_rated=1, replies_satisfied=int((level or 0) >= 4)))
    return out


def contacts_with_orders(*, contact_ids, since: datetime) -> set[int]:
    """Which of these contacts had a work order created from them (``origin_contact``) since ``since``."""
    refs = [str(i) for i in contact_ids]
    found: set[int] = set()
    for i in range(0, len(refs), 1000):
        found.update(int(r) for r in WorkOrder.objects.filter(created_at__gte=since, origin_contact__in=refs[i:i + 1000])
                     .order_by().values_list("origin_contact", flat=True).distinct() if r.isdigit())
    return found


def orders_near_deadline(*, actor, within, limit: int = 20) -> tuple[list[WorkOrder], int, int]:
    """Open orders in scope past or near their station deadline, soonest first: (rows, near, overdue)."""
    from kefu.core import clock

    now = clock.now()
    # Uses wo_supervision (state, is_overdue, station_due_at).
    qs = scoped_orders(actor).filter(state__in=OPEN_STATES, station_due_at__lte=now + within)
    overdue = qs.filter(station_due_at__lte=now).count()
    near = qs.filter(station_due_at__gt=now).count()
    rows = list(qs.select_related("holder_org", "holder_staff").order_by("station_due_at", "id")[:limit])
    return rows, near, overdue


#: How the reply satisfaction of work orders is grouped for the satisfaction statistics (kefu.surveys):
#: group → (key expression, label field). Work orders have no queue: they fall in one "no queue" group.
REPLY_SATISFACTION_GROUPS = {
    "org": ("org_id", "org__name"),
    "team": ("holder_team_id", "holder_team__name"),
    "agent": ("creator_id", "creator__name"),
    "kind": ("kind", None),
}


def reply_satisfaction_counts(*, actor, start: datetime, end: datetime, group_by: str) -> list[tuple]:
    """(key, label, level, count) of the satisfaction customers gave work orders' replies in [start, end).

    ``group_by`` is ``day``, ``month``, ``org``, ``team``, ``agent``, ``kind``, ``queue`` or ``all``; orders
    the actor may see. Uses the replied_at range (a sequential scan is fine for a report; see docs/surveys.md).
    """
    from django.db.models import Count, F, Value
    from django.db.models.functions import TruncDate, TruncMonth

    qs = scoped_orders(actor).filter(satisfaction__isnull=False, replied_at__gte=start, replied_at__lt=end)
    if group_by in ("day", "month"):
        trunc = TruncDate("replied_at") if group_by == "day" else TruncMonth("replied_at")
        rows = qs.annotate(k=trunc).values("k", "satisfaction").annotate(n=Count("id"))
        return [(r["k"], None, r["satisfaction"], r["n"]) for r in rows]
    if group_by in REPLY_SATISFACTION_GROUPS:
        key, label = REPLY_SATISFACTION_GROUPS[group_by]
        rows = qs.annotate(k=F(key), l=F(label) if label else Value("")).values("k", "l", "satisfaction").annotate(
            n=Count("id"))
        if group_by == "kind":
            return [(r["k"], str(Kind(r["k"]).label) if r["k"] in Kind.values else r["k"], r["satisfaction"], r["n"])
                    for r in rows]
        return [(r["k"], r["l"], r["satisfaction"], r["n"]) for r in rows]
    rows = qs.values("satisfaction").annotate(n=Count("id"))
    return [(None, None, r["satisfaction"], r["n"]) for r in rows]


def orders_closed(*, kind: str, start: datetime, end: datetime) -> list[dict]:
    """Orders of ``kind`` closed in [start, end), for drawing survey samples (kefu.surveys): every closed
    complaint can be asked how it was handled. A report-sized read by time."""
    rows = (WorkOrder.objects.filter(kind=kind, state=State.CLOSED, closed_at__gte=start, closed_at__lt=end)
            .values("id", "serial", "customer_id", "contact_number", "subscriber__number", "org_id", "kind",
                    "creator_id", "holder_team_id").order_by("id"))
    return [{**r, "contact_number": r["contact_number"] or r["subscriber__number"] or ""} for r in rows]


# --- for quality inspection -----------------------------------------------------------


def complaint_contact_ids(*, actor, since: datetime, until: datetime) -> set[int]:
    """Ids of the contacts complaint orders of the actor's scope were created from in ``[since, until)``
    (``origin_contact``): the contacts quality inspection checks in full."""
    values = (scoped_orders(actor).filter(kind="complaint", created_at__gte=since, created_at__lt=until)
              .exclude(origin_contact="").values_list("origin_contact", flat=True))  # wo_kind_state_created
    return {int(v) for v in values if v.isdigit()}


def replies_satisfaction_by_level(*, actor, since: datetime, until: datetime, kind: str = "complaint") -> dict[int, int]:
    """How many orders of ``kind`` replied in ``[since, until)`` in the actor's scope recorded each
    satisfaction level (5 very satisfied … 1 very dissatisfied)."""
    from django.db.models import Count

    rows = (scoped_orders(actor).filter(kind=kind, replied_at__gte=since, replied_at__lt=until,
                                        satisfaction__isnull=False)
            .values("satisfaction").annotate(n=Count("id")))
    return {r["satisfaction"]: r["n"] for r in rows}
