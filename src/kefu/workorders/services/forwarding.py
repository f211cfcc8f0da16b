"""Forwarding to other organisations (转派/转递) and signed webhook delivery.

Inside Kefu a forward creates a coordination order (协同单) in the receiving
organisation's queue; the receiver may forward it onward (a chain, as in the
TD service model: handset maker → base province → home province). When a
coordination order is answered, the answer flows back to the order it came
from — one link of the chain at a time. Outside Kefu a forward is a signed
webhook to the party's endpoint, retried with back-off; the party confirms
and answers through the API with the forward's token. Every forward is kept
(archived) at the province center of the originating order.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.orgs.models import OrgKind

from ..kinds import Kind
from ..models import Delivery, Endpoint, Forward, State, Timer, WorkOrder
from . import notices
from .holders import Holder, province_of
from .orders import workorder_create_coordination, workorder_forward_returned

log = logging.getLogger("kefu.workorders.forwarding")
SIGNATURE_HEADER = "X-Kefu-Signature"
TIMESTAMP_HEADER = "X-Kefu-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str, *, max_skew: int = 300) -> bool:
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(time.time() - ts) > max_skew:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")


def forward_create(*, actor, order: WorkOrder, to_org, text: str) -> Forward:
    """Forward ``order`` (inside the caller's transaction); the order waits for the answer."""
    if to_org.pk == order.holder_org_id:
        raise ValidationFailed(_("The order is already with %(org)s.") % {"org": to_org.name}, code="same_org")
    if not to_org.active:
        raise ValidationFailed(_("%(org)s is deactivated.") % {"org": to_org.name}, code="target_inactive")
    external = to_org.kind == OrgKind.EXTERNAL
    endpoint = Endpoint.objects.filter(org=to_org, active=True).first() if external else None
    if external and endpoint is None:
        raise ValidationFailed(_("%(org)s has no delivery endpoint configured.") % {"org": to_org.name},
                               code="no_endpoint")
    parent = getattr(order, "forwarded_from", None) if order.kind == Kind.COORDINATION else None
    fwd = Forward.objects.create(
        order=order, parent=parent, from_org=order.holder_org, to_org=to_org, external=external, text=text,
        created_by=actor, archive_org=province_of(order.org), token=secrets.token_urlsafe(24),
    )
    order.state = State.FORWARDED
    if external:
        payload = {
            "event": "forward.created", "forward": fwd.token, "serial": order.serial, "kind": order.kind,
            "title": order.title, "description": order.description, "text": text,
            "from": order.holder_org.name, "service_tier": order.service_tier,
        }
        d = Delivery.objects.create(url=endpoint.url, secret=endpoint.secret, event="forward.created",
                                    payload=payload, forward=fwd)
        Timer.objects.create(kind=Timer.Kind.DELIVERY, due_at=clock.now(), ref=d.pk)
    else:
        child = workorder_create_coordination(actor=actor, origin=order, to_org=to_org, text=text)
        now = clock.now()
        fwd.child_order = child
        fwd.state = Forward.State.CONFIRMED  # inside Kefu the queue receives it at once
        fwd.delivered_at = fwd.confirmed_at = now
        fwd.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=fwd,
                 object_repr=f"{order.serial} → {to_org.name}", changes={"to_org": [None, to_org.code]})
    return fwd


def forward_answer_internal(*, child: WorkOrder, answer: str) -> None:
    """A coordination order was answered: take the answer back to its origin."""
    fwd = Forward.objects.select_related("order").filter(child_order=child).first()
    if fwd is None:
        return
    _answered(fwd, answer, actor=child.holder_staff)


def _answered(fwd: Forward, answer: str, *, actor) -> None:
    now = clock.now()
    fwd.state, fwd.answered_at, fwd.answer_text = Forward.State.ANSWERED, now, answer[:5000]
    fwd.save()
    origin = workorder_forward_returned(order_id=fwd.order_id, forward_id=fwd.pk, by_org=fwd.to_org, actor=actor,
                                        text=answer)
    notices.notify(order=origin, kind="answered", holder=Holder(org=origin.holder_org, team=origin.holder_team,
                                                                  staff=origin.holder_staff),
                   text=_("%(org)s answered %(serial)s.") % {"org": fwd.to_org.name, "serial": origin.serial})
    audit_record(actor=actor or fwd.to_org.name, action=AuditAction.UPDATE, obj=fwd,
                 object_repr=f"{origin.serial} ← {fwd.to_org.name}", changes={"state": ["", "answered"]})


def forward_delivery_failed(*, forward_id: int, attempts: int, error: str) -> None:
    """The webhook of an outside forward could not be delivered: the order comes back, its people are told."""
    fwd = Forward.objects.select_for_update(of=("self",)).select_related("to_org", "created_by").get(pk=forward_id)
    if fwd.state not in (Forward.State.PENDING, Forward.State.DELIVERED):
        return
    fwd.state = Forward.State.FAILED
    fwd.save(update_fields=["state"])
    text = _("Forwarding to %(org)s failed after %(n)d attempts: %(err)s") % {
        "org": fwd.to_org.name, "n": attempts, "err": error}
    order = workorder_forward_returned(order_id=fwd.order_id, forward_id=fwd.pk, by_org=fwd.to_org, text=text,
                                       failed=True)
    people = [p for p in {fwd.created_by, order.holder_staff} if p is not None]
    notices.notify(order=order, kind="delivery_failed", people=people, holder=Holder(org=order.holder_org),
                   text=_("Forwarding %(serial)s to %(org)s failed after %(n)d attempts: %(err)s") % {
                       "serial": order.serial, "org": fwd.to_org.name, "n": attempts, "err": error})
    audit_record(actor="system", action=AuditAction.UPDATE, obj=fwd, object_repr=f"{order.serial} → {fwd.to_org.name}",
                 changes={"state": ["", "failed"]})


@transaction.atomic
def forward_confirm_external(*, token: str) -> Forward:
    fwd = Forward.objects.select_for_update().filter(token=token, external=True).first()
    if fwd is None:
        raise NotFound(_("Unknown forward."), code="forward_not_found")
    if fwd.state in (Forward.State.PENDING, Forward.State.DELIVERED, Forward.State.FAILED):
        fwd.state, fwd.confirmed_at = Forward.State.CONFIRMED, clock.now()
        fwd.save()
    return fwd


@transaction.atomic
def forward_answer_external(*, token: str, answer: str) -> Forward:
    fwd = Forward.objects.select_for_update().filter(token=token, external=True).first()
    if fwd is None:
        raise NotFound(_("Unknown forward."), code="forward_not_found")
    if fwd.state == Forward.State.ANSWERED:
        raise Conflict(_("This forward has already been answered."), code="already_answered")
    if not (answer or "").strip():
        raise ValidationFailed(_("The answer is empty."), code="text_required")
    _answered(fwd, answer.strip(), actor=None)
    return fwd


def endpoint_for_token(token: str) -> Endpoint:
    fwd = Forward.objects.select_related("to_org").filter(token=token, external=True).first()
    if fwd is None:
        raise NotFound(_("Unknown forward."), code="forward_not_found")
    ep = Endpoint.objects.filter(org=fwd.to_org).first()
    if ep is None:
        raise PermissionDenied(_("No endpoint is configured for this party."), code="no_endpoint")
    return ep
