"""Callbacks after service: a closed complaint adds its complainant to the callback campaigns that ask for it,
sampled by each campaign's share; other events and kinds add nobody."""

from types import SimpleNamespace

from django.dispatch import Signal

from kefu.campaigns.models import Target
from kefu.workorders.services.events import order_event

from .support import make_campaign


def _order(w, **kw):
    sub = w.known.subscribers.first()
    return SimpleNamespace(**{"kind": "complaint", "customer_id": w.known.pk, "subscriber_id": sub.pk,
                              "contact_number": "", "serial": "TS20261203000001", **kw})


def test_a_closed_complaint_becomes_a_callback_target_once(world):
    wanted = make_campaign(world, kind="callback", name="投诉回访", auto_closed_complaints=True)
    none_sampled = make_campaign(world, kind="callback", name="零抽样", auto_closed_complaints=True, sample_percent=0)
    make_campaign(world, kind="callback", name="手工回访")
    assert isinstance(order_event, Signal)
    order_event.send(sender=None, order=_order(world), event="order.close")
    order_event.send(sender=None, order=_order(world), event="order.close")
    order_event.send(sender=None, order=_order(world), event="order.reply")
    order_event.send(sender=None, order=_order(world, kind="inquiry"), event="order.close")
    [target] = Target.objects.all()
    assert (target.campaign, target.number, target.source, target.customer_id) == (
        wanted, "13900000002", "auto", world.known.pk)
    assert not Target.objects.filter(campaign=none_sampled).exists()
