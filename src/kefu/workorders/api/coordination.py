"""Forwarding archive, external parties' confirm/answer calls, endpoints and webhooks."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from kefu.audit.services import audit_create
from kefu.core.access import actor_of, public, requires
from kefu.core.errors import NotAuthenticated, NotFound, ValidationFailed
from kefu.orgs.models import Organisation, OrgKind
from kefu.orgs.selectors import scope_queryset

from ..models import Endpoint, Forward, WebhookSubscription
from ..services import forwarding
from .schemas import AnswerIn, EndpointIn, ForwardOut, SubscriptionIn, SubscriptionOut

router = Router()


def _fwd_out(f: Forward) -> dict:
    return {"id": f.pk, "order_serial": f.order.serial, "from_org": f.from_org.code, "to_org": f.to_org.code,
            "external": f.external, "state": f.state, "text": f.text, "created_at": f.created_at,
            "delivered_at": f.delivered_at, "answered_at": f.answered_at, "answer_text": f.answer_text}


@router.get("/forwards", response=list[ForwardOut], summary="Forwarding archive (province center)")
@requires("workorders.coordination.view")
@paginate(PageNumberPagination)
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
@transaction.atomic
def endpoint_set(request, payload: EndpointIn):
    org = Organisation.objects.filter(code=payload.org, kind=OrgKind.EXTERNAL).first()
    if org is None:
        raise ValidationFailed(_("%(code)s is not an external organisation.") % {"code": payload.org},
                               code="unknown_org")
    if not payload.url.startswith(("https://", "http://")):
        raise ValidationFailed(_("The URL must start with http:// or https://."), code="invalid_url")
    ep, _created = Endpoint.objects.update_or_create(
        org=org, defaults={"url": payload.url, "secret": payload.secret, "active": payload.active})
    audit_create(actor=actor_of(request), obj=ep, fields=("org", "url", "active"))
    return {"org": org.code, "url": ep.url, "active": ep.active}


@router.get("/webhooks", response=list[SubscriptionOut], summary="Webhook subscriptions for order events")
@requires("workorders.coordination.manage")
def webhooks(request):
    return list(WebhookSubscription.objects.order_by("name"))


@router.post("/webhooks", response={201: SubscriptionOut}, summary="Subscribe to order events")
@requires("workorders.coordination.manage")
@transaction.atomic
def webhook_create(request, payload: SubscriptionIn):
    if not payload.url.startswith(("https://", "http://")):
        raise ValidationFailed(_("The URL must start with http:// or https://."), code="invalid_url")
    sub = WebhookSubscription.objects.create(name=payload.name, url=payload.url, secret=payload.secret,
                                             events=payload.events, active=payload.active)
    audit_create(actor=actor_of(request), obj=sub, fields=("name", "url", "events", "active"))
    return 201, sub


@router.delete("/webhooks/{sub_id}", response={204: None}, summary="Unsubscribe")
@requires("workorders.coordination.manage")
@transaction.atomic
def webhook_delete(request, sub_id: int):
    from kefu.audit.services import audit_delete

    sub = WebhookSubscription.objects.filter(pk=sub_id).first()
    if sub is None:
        raise NotFound(_("Subscription not found."), code="not_found")
    audit_delete(actor=actor_of(request), obj=sub, fields=("name", "url"))
    sub.delete()
    return 204, None
