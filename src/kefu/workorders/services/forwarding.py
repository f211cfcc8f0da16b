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
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.orgs.models import OrgKind
from kefu.params.selectors import param_get

from ..kinds import Kind
from ..models import Delivery, Endpoint, Forward, State, Timer, WorkOrder, WorkOrderLink, WorkOrderStep
from . import notices
from .holders import Holder, province_of

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
        _create_child(actor, order, fwd, text)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=fwd,
                 object_repr=f"{order.serial} → {to_org.name}", changes={"to_org": [None, to_org.code]})
    return fwd


def _create_child(actor, order: WorkOrder, fwd: Forward, text: str) -> WorkOrder:
    from .orders import serial_next
    from .templates import compiled, template_for

    version = template_for(kind=Kind.COORDINATION, org=fwd.to_org)
    tpl = compiled(version)
    now = clock.now()
    child = WorkOrder.objects.create(
        serial=serial_next(Kind.COORDINATION), kind=Kind.COORDINATION, template_version=version, station=tpl.start,
        state=State.OPEN, priority=order.priority, service_tier=order.service_tier, customer=order.customer,
        subscriber=order.subscriber, channel=order.channel, title=order.title, description=text or order.description,
        category=order.category, creator=actor, org=fwd.to_org, holder_org=fwd.to_org, created_at=now,
        updated_at=now, station_entered_at=now,
    )
    WorkOrderLink.objects.create(src=child, dst=order, kind=WorkOrderLink.Kind.CHILD_OF)
    WorkOrderStep.objects.create(order=child, seq=1, at=now, actor=actor, actor_label=f"{actor.employee_no} {actor.name}",
                                 actor_org=actor.org, action="create", to_station=tpl.start, text=text,
                                 holder_org=fwd.to_org)
    from . import deadlines

    deadlines.schedule_reply(child)
    deadlines.schedule_station(child, step_seq=1, final=False)
    child.save()
    fwd.child_order = child
    fwd.state = Forward.State.CONFIRMED  # inside Kefu the queue receives it at once
    fwd.delivered_at = fwd.confirmed_at = now
    fwd.save()
    notices.notify(order=child, kind="assigned", holder=Holder(org=fwd.to_org),
                   text=_("%(org)s forwarded %(serial)s to you.") % {"org": fwd.from_org.name, "serial": order.serial})
    return child


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
    origin = WorkOrder.objects.select_for_update().get(pk=fwd.order_id)
    others_waiting = origin.forwards.exclude(state=Forward.State.ANSWERED).exclude(pk=fwd.pk).exists()
    if not others_waiting and origin.state == State.FORWARDED:
        origin.state = State.OPEN
    seq = origin.steps.count() + 1
    WorkOrderStep.objects.create(order=origin, seq=seq, at=now, actor=None, actor_label=fwd.to_org.name,
                                 actor_org=fwd.to_org, action="answer", from_station=origin.station,
                                 to_station=origin.station, text=answer[:5000], holder_org=origin.holder_org,
                                 holder_team=origin.holder_team, holder_staff=origin.holder_staff,
                                 data={"forward_id": fwd.pk})
    origin.version += 1
    origin.save()
    notices.notify(order=origin, kind="answered", holder=Holder(org=origin.holder_org, team=origin.holder_team,
                                                                  staff=origin.holder_staff),
                   text=_("%(org)s answered %(serial)s.") % {"org": fwd.to_org.name, "serial": origin.serial})
    audit_record(actor=actor or fwd.to_org.name, action=AuditAction.UPDATE, obj=fwd,
                 object_repr=f"{origin.serial} ← {fwd.to_org.name}", changes={"state": ["", "answered"]})


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


# --- delivery ------------------------------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    base = param_get("workorders.delivery.retry_base")
    return base * (2 ** max(0, attempts - 1))


def delivery_attempt(*, delivery_id: int) -> None:
    """Count an attempt and send after commit; a safety timer retries if we die first."""
    d = Delivery.objects.select_for_update().filter(pk=delivery_id, state=Delivery.State.PENDING).first()
    if d is None:
        return
    d.attempts += 1
    d.save(update_fields=["attempts"])
    retry = Timer.objects.create(kind=Timer.Kind.DELIVERY, due_at=clock.now() + _backoff(d.attempts), ref=d.pk)
    transaction.on_commit(lambda: delivery_send(delivery_id=d.pk, retry_timer_id=retry.pk))


def delivery_send(*, delivery_id: int, retry_timer_id: int | None = None, timeout: float = 10.0) -> bool:
    """POST the delivery (outside any transaction) and record what happened."""
    d = Delivery.objects.get(pk=delivery_id)
    body = json.dumps(d.payload, ensure_ascii=False, sort_keys=True).encode()
    ts = str(int(time.time()))
    if not d.url.startswith(("http://", "https://")):
        _record(d.pk, ok=False, status=None, error="unsupported URL scheme", retry_timer_id=retry_timer_id)
        return False
    req = urllib.request.Request(d.url, data=body, method="POST", headers={  # noqa: S310 (scheme checked above)
        "Content-Type": "application/json", "User-Agent": "Kefu-Webhook/1", "X-Kefu-Event": d.event,
        "X-Kefu-Delivery": str(d.pk), TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(d.secret, ts, body),
    })
    status, error = None, ""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (scheme checked above)
            status = resp.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:500]
    ok = status is not None and 200 <= status < 300
    _record(d.pk, ok=ok, status=status, error=error, retry_timer_id=retry_timer_id)
    return ok


@transaction.atomic
def _record(delivery_id: int, *, ok: bool, status, error: str, retry_timer_id) -> None:
    d = Delivery.objects.select_for_update().get(pk=delivery_id)
    if d.state != Delivery.State.PENDING:
        return
    d.last_status, d.last_error = status, error
    now = clock.now()
    give_up = not ok and d.attempts >= param_get("workorders.delivery.max_attempts")
    if (ok or give_up) and retry_timer_id:
        Timer.objects.filter(pk=retry_timer_id, state=Timer.State.PENDING).update(state=Timer.State.CANCELLED)
    if ok:
        d.state, d.delivered_at = Delivery.State.DELIVERED, now
        if d.forward_id:
            Forward.objects.filter(pk=d.forward_id, state=Forward.State.PENDING).update(
                state=Forward.State.DELIVERED, delivered_at=now)
    elif give_up:
        d.state = Delivery.State.FAILED
        if d.forward_id:
            fwd = Forward.objects.select_related("order", "created_by").get(pk=d.forward_id)
            if fwd.state in (Forward.State.PENDING, Forward.State.DELIVERED):
                fwd.state = Forward.State.FAILED
                fwd.save(update_fields=["state"])
                order = fwd.order
                if order.state == State.FORWARDED:
                    WorkOrder.objects.filter(pk=order.pk).update(state=State.OPEN)
                people = [p for p in {fwd.created_by, order.holder_staff} if p is not None]
                notices.notify(order=order, kind="delivery_failed", people=people,
                               holder=Holder(org=order.holder_org),
                               text=_("Forwarding %(serial)s to %(org)s failed after %(n)d attempts: %(err)s") % {
                                   "serial": order.serial, "org": fwd.to_org.name, "n": d.attempts,
                                   "err": error or status})
    d.save()
