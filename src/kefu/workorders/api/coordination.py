"""Forwarding archive, external parties' confirm/answer calls, endpoints and webhooks."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from kefu.core.access import actor_of, public, requires
from kefu.core.errors import NotAuthenticated, NotFound, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.orgs.models import Organisation
from kefu.orgs.selectors import scope_queryset

from ..models import Forward, WebhookSubscription
from ..services import forwarding
from ..services import settings as settings_services
from .schemas import (
    AnswerIn,
    CalendarIn,
    CalendarOut,
    EndpointIn,
    ForwardOut,
    SubscriptionIn,
    SubscriptionOut,
)

router = Router()


def _fwd_out(f: Forward) -> dict:
    return {"id": f.pk, "order_serial": f.order.serial, "from_org": f.from_org.code, "to_org": f.to_org.code,
            "external": f.external, "state": f.state, "text": f.text, "created_at": f.created_at,
            "delivered_at": f.delivered_at, "answered_at": f.answered_at, "answer_text": f.answer_text}


@router.get("/forwards", response=list[ForwardOut], summary="Forwarding archive (province center)")
@requires("workorders.coordination.view")
@paginate(Pagination)
def forwards(request, state: str = ""):
    qs = scope_queryset(Forward.objects.select_related("order", "from_org", "to_org"), actor_of(request),
                        field="archive_org")
    if state:
        qs = qs.filter(state=state)
    return [_fwd_out(f) for f in qs.order_by("-created_at")[:1000]]


def _verified(request, token: str) -> None:
    """External parties sign their calls with their endpoint's secret."""
    endpoint = forwarding.endpoint_for_token(token)
    ok = forwarding.verify_signature(endpoint.secret, request.headers.get(forwarding.TIMESTAMP_HEADER, ""),
                                     request.body, request.headers.get(forwarding.SIGNATURE_HEADER, ""))
    if not ok:
        raise NotAuthenticated(_("The signature is missing, wrong or too old."), code="bad_signature")


@router.post("/forwards/{token}/confirm", auth=None, response=ForwardOut,
             summary="External party confirms receipt (signed)")
@public("signed with the endpoint secret")
def confirm(request, token: str):
    _verified(request, token)
    return _fwd_out(forwarding.forward_confirm_external(token=token))


@router.post("/forwards/{token}/answer", auth=None, response=ForwardOut,
             summary="External party answers a forward (signed)")
@public("signed with the endpoint secret")
def answer(request, token: str, payload: AnswerIn):
    _verified(request, token)
    return _fwd_out(forwarding.forward_answer_external(token=token, answer=payload.answer))


@router.put("/endpoints", response=dict, summary="Set an external party's delivery endpoint")
@requires("workorders.coordination.manage")
def endpoint_set(request, payload: EndpointIn):
    org = Organisation.objects.filter(code=payload.org).first()
    if org is None:
        raise ValidationFailed(_("Unknown organisation %(code)s.") % {"code": payload.org}, code="unknown_org")
    ep = settings_services.endpoint_set(actor=actor_of(request), org=org, url=payload.url, secret=payload.secret,
                                        active=payload.active)
    return {"org": org.code, "url": ep.url, "active": ep.active}


@router.get("/webhooks", response=list[SubscriptionOut], summary="Webhook subscriptions for order events")
@requires("workorders.coordination.manage")
def webhooks(request):
    return list(WebhookSubscription.objects.order_by("name"))


@router.post("/webhooks", response={201: SubscriptionOut}, summary="Subscribe to order events")
@requires("workorders.coordination.manage")
def webhook_create(request, payload: SubscriptionIn):
    sub = settings_services.subscription_create(actor=actor_of(request), name=payload.name, url=payload.url,
                                                secret=payload.secret, events=payload.events)
    return 201, sub


@router.delete("/webhooks/{sub_id}", response={204: None}, summary="Unsubscribe")
@requires("workorders.coordination.manage")
def webhook_delete(request, sub_id: int):
    settings_services.subscription_delete(actor=actor_of(request), sub_id=sub_id)
    return 204, None


@router.put("/calendars/{org_code}", response=CalendarOut, summary="Set an organisation's business calendar")
@requires("workorders.coordination.manage")
def calendar_set(request, org_code: str, payload: CalendarIn):
    org = Organisation.objects.filter(code=org_code).first()
    if org is None:
        raise NotFound(_("Unknown organisation %(code)s.") % {"code": org_code}, code="unknown_org")
    cal = settings_services.calendar_set(actor=actor_of(request), org=org, work_start=payload.work_start,
                                         work_end=payload.work_end, workdays=payload.workdays,
                                         holidays=payload.holidays, extra_workdays=payload.extra_workdays)
    return {"org": org.code, "work_start": cal.work_start, "work_end": cal.work_end, "workdays": cal.workdays,
            "holidays": cal.holidays, "extra_workdays": cal.extra_workdays}
