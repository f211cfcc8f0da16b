"""Order events for outside systems (webhooks), queued on commit of the change, and for other apps in
process (``order_event``, e.g. campaigns calling customers back after a complaint is closed)."""

from __future__ import annotations

from django.dispatch import Signal

from kefu.core.versioned import VersionedCache

from ..models import Delivery, Timer, WebhookSubscription, WorkOrder

#: Active subscriptions, per process; any change to one reloads them everywhere (see ``core.versioned``).
_subscriptions = VersionedCache("workorders.webhooks", lambda: list(WebhookSubscription.objects.filter(active=True)),
                                watch=(WebhookSubscription,))


def order_payload(order: WorkOrder) -> dict:
    return {
        "serial": order.serial, "id": order.pk, "kind": order.kind, "state": order.state, "station": order.station,
        "priority": order.priority, "service_tier": order.service_tier, "title": order.title,
        "holder_org": order.holder_org.code if order.holder_org_id else None,
        "station_due_at": order.station_due_at.isoformat() if order.station_due_at else None,
        "reply_due_at": order.reply_due_at.isoformat() if order.reply_due_at else None,
        "is_overdue": order.is_overdue, "version": order.version,
    }


#: Sent with ``order`` and ``event`` (``order.created``, ``order.close``…) in the change's transaction, so a
#: receiver's rows roll back with it. Receivers are other apps' reactions, connected in their ``ready()``.
order_event = Signal()


def event_emit(order: WorkOrder, event: str) -> int:
    """Queue one signed delivery per subscription that wants ``event``, and tell ``order_event``'s receivers.

    Written in the caller's transaction: if the change rolls back, so does the
    event; the worker sends committed deliveries (see ``deliveries.delivery_attempt``).
    """
    order_event.send(sender=WorkOrder, order=order, event=event)
    subs = [s for s in _subscriptions.get() if not s.events or event in s.events]
    if not subs:
        return 0
    from kefu.core import clock

    payload = {"event": event, "order": order_payload(order)}
    for s in subs:
        d = Delivery.objects.create(url=s.url, secret=s.secret, event=event, payload=payload, subscription=s)
        Timer.objects.create(kind=Timer.Kind.DELIVERY, due_at=clock.now(), ref=d.pk)
    return len(subs)
