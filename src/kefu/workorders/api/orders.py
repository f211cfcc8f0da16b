
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.core.schemas import DateTime, InputSchema
from kefu.iam.selectors import staff_find, team_find
from kefu.orgs.selectors import org_find

from .. import selectors
from ..services.actions import ActionInput, workorder_act
from ..services.attachments import attachment_add
from ..services.notices import notices_mark_read
from ..services.orders import workorder_create
from .convert import order_out, row_out
from .schemas import ActionIn, NoticeOut, OrderCreateIn, OrderOut, OrderRow, StepOut

router = Router()


class OrderQuery(Schema):
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
    reason: str = ""
    complainant: str = ""
    handler: str = ""
    org_id: int | None = None
    overdue: bool | None = None
    created_from: DateTime | None = None
    created_to: DateTime | None = None


def _customer(actor, customer_id, number):
    """The customer and line named by the caller, both through crm's scoped selectors: a number whose
    customer is outside the actor's organisations answers exactly like a number no line has."""
    from kefu.crm.selectors import customer_get, subscriber_by_number

    customer = subscriber = None
    if customer_id is not None:
        customer = customer_get(actor=actor, customer_id=customer_id)
    if number:
        subscriber = subscriber_by_number(actor=actor, number=number)
        if subscriber is None:
            raise NotFound(_("No subscriber has number %(n)s.") % {"n": number}, code="subscriber_not_found")
    return customer, subscriber


@router.post("/orders", response={200: OrderOut, 201: OrderOut}, summary="Create a work order")
@requires("workorders.order.create")
def create_order(request, payload: OrderCreateIn):
    """Send an ``Idempotency-Key`` header when calling from outside: a retry returns the first order."""
    actor = actor_of(request)
    customer, subscriber = _customer(actor, payload.customer_id, payload.subscriber_number)
    appeal_of = None
    if payload.appeal_of:
        appeal_of = selectors.order_get(actor=actor, serial=payload.appeal_of)
    key = request.headers.get("Idempotency-Key") or None
    if key and len(key) > 100:
        raise ValidationFailed(_("The idempotency key is too long (at most 100 characters)."), code="invalid")
    order, created = workorder_create(
        actor=actor, kind=payload.kind, title=payload.title, description=payload.description, fields=payload.fields,
        customer=customer, subscriber=subscriber, channel=payload.channel, contact_number=payload.contact_number,
        origin_contact=payload.origin_contact, idempotency_key=key, appeal_of=appeal_of,
    )
    return (201 if created else 200), order_out(order, actor)


@router.get("/orders", response=list[OrderRow], summary="Query work orders on many conditions")
@requires("workorders.order.view")
@paginate(Pagination)
def list_orders(request, filters: Query[OrderQuery]):
    from ..selectors import OrderFilters

    qs = selectors.order_query(actor=actor_of(request), filters=OrderFilters(**filters.dict()))
    return _LazyRows(qs)


class _LazyRows:
    """Lets the paginator slice the queryset, converting only the page it returns."""

    def __init__(self, qs):
        self.qs = qs
        self._count: int | None = getattr(qs, "match_count", None)  # counted already for the read audit

    def __len__(self):
        if self._count is None:  # the paginator asks more than once: one COUNT per request
            self._count = self.qs.count()
        return self._count

    def __getitem__(self, item):
        rows = self.qs[item]
        return [row_out(o) for o in rows] if isinstance(item, slice) else row_out(rows)


@router.get("/my-work", response=list[OrderRow], summary="Open orders I, my team or my organisation hold")
@requires("workorders.order.handle")
@paginate(Pagination)
def my_work(request, scope: str = "mine"):
    if scope not in ("mine", "team", "org"):
        raise ValidationFailed(_("scope must be mine, team or org."), code="invalid")
    return _LazyRows(selectors.my_work_rows(actor=actor_of(request), scope=scope))


@router.get("/supervision", response=list[OrderRow], summary="Warning and overdue orders in scope")
@requires("workorders.supervision.view")
@paginate(Pagination)
def supervision(request, what: str = "overdue", kind: str = "", org_id: int | None = None):
    if what not in ("overdue", "warning"):
        raise ValidationFailed(_("what must be overdue or warning."), code="invalid")
    return _LazyRows(selectors.supervision(actor=actor_of(request), what=what, kind=kind, org_id=org_id))


@router.get("/orders/{ref}", response=OrderOut, summary="One order by id or serial")
@requires("workorders.order.view")
def get_order(request, ref: str):
    actor = actor_of(request)
    order = selectors.order_get(actor=actor, serial=ref) if not ref.isdigit() else selectors.order_get(
        actor=actor, order_id=int(ref))
    return order_out(order, actor)


@router.get("/orders/{order_id}/history", response=list[StepOut], summary="Every step of an order")
@requires("workorders.order.view")
def history(request, order_id: int):
    order = selectors.order_get(actor=actor_of(request), order_id=order_id)
    return [
        {"seq": s.seq, "at": s.at, "actor": s.actor_label, "action": s.action, "outcome": s.outcome,
         "from_station": s.from_station, "to_station": s.to_station, "text": s.text, "time_spent": s.time_spent,
         "overdue": s.overdue, "late_reason": s.late_reason,
         "holder_org": s.holder_org.code if s.holder_org_id else None}
        for s in selectors.order_steps(order, related=("holder_org",))
    ]


def _target(payload: ActionIn):
    to_org = to_team = to_staff = None
    if payload.to_org:
        to_org = org_find(code=payload.to_org)
        if to_org is None:
            raise ValidationFailed(_("Unknown organisation %(code)s.") % {"code": payload.to_org}, code="unknown_org")
    if payload.to_team is not None:
        to_team = team_find(team_id=payload.to_team)
        if to_team is None:
            raise ValidationFailed(_("Unknown team."), code="unknown_team")
    if payload.to_staff:
        to_staff = staff_find(employee_no=payload.to_staff)
        if to_staff is None:
            raise ValidationFailed(_("Unknown employee number %(no)s.") % {"no": payload.to_staff}, code="unknown_staff")
    return to_org, to_team, to_staff


@router.post("/orders/{order_id}/actions/{action}", response=OrderOut, summary="Act on an order")
@requires("workorders.order.view")
def act(request, order_id: int, action: str, payload: ActionIn):
    """Accept, review, dispatch, process, return, withdraw, forward, urge, escalate, reply, close, reopen…

    Send the ``version`` you saw: if someone acted meanwhile you get 409 with what changed.
    """
    actor = actor_of(request)
    to_org, to_team, to_staff = _target(payload)
    # 404 for an order out of the actor's scope (unless they acted on it before), checked on the locked row.
    result = workorder_act(actor=actor, order_id=order_id, scope_check=True, data=ActionInput(
        action=action[:16], version=payload.version, text=payload.text, outcome=payload.outcome, to_org=to_org,
        to_team=to_team, to_staff=to_staff, late_reason=payload.late_reason, satisfaction=payload.satisfaction,
        fields=payload.fields))
    # The answer shows the order with its customer; the action's own audit entry names that customer.
    return order_out(result, actor)


@router.post("/orders/{order_id}/attachments", response={201: dict}, summary="Attach a file")
@requires("workorders.order.view")
def upload(request, order_id: int, file: File[UploadedFile]):
    actor = actor_of(request)
    order = selectors.order_get(actor=actor, order_id=order_id)
    att = attachment_add(actor=actor, order=order, name=file.name, data=file.read(), content_type=file.content_type)
    return 201, {"id": att.pk, "name": att.name, "size": att.size, "sha256": att.sha256}


@router.get("/attachments/{attachment_id}", summary="Download an attachment")
@requires("workorders.order.view")
def download(request, attachment_id: int):
    att = selectors.attachment_get(actor=actor_of(request), attachment_id=attachment_id)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@router.get("/notices", response=list[NoticeOut], summary="My notices about orders")
@requires("workorders.order.view")
@paginate(Pagination)
def notices(request, unread: bool = False):
    qs = selectors.notice_list(actor=actor_of(request), unread=unread)
    return [{"id": n.pk, "order_serial": n.order.serial if n.order_id else None, "digest_id": n.digest_id,
             "kind": n.kind, "text": n.text, "created_at": n.created_at,
             "read_at": n.read_at} for n in qs[:500]]


@router.post("/notices/{notice_id}/read", response={204: None}, summary="Mark a notice read")
@requires("workorders.order.view")
def notice_read(request, notice_id: int):
    updated = notices_mark_read(actor=actor_of(request), notice_id=notice_id)
    if not updated and not selectors.notice_exists(actor=actor_of(request), notice_id=notice_id):
        raise NotFound(_("Notice not found."), code="notice_not_found")
    return 204, None


class DuplicateIn(InputSchema):
    original: str


@router.post("/orders/{order_id}/duplicate-of", response={201: dict}, summary="Mark an order as a duplicate")
@requires("workorders.order.handle")
def duplicate_of(request, order_id: int, payload: DuplicateIn):
    from ..services.links import workorder_link_duplicate

    actor = actor_of(request)
    order = selectors.order_get(actor=actor, order_id=order_id)
    original = selectors.order_get(actor=actor, serial=payload.original[:20])
    workorder_link_duplicate(actor=actor, order=order, original=original)
    return 201, {"order": order.serial, "duplicate_of": original.serial}
