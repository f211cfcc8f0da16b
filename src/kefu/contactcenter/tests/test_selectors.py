"""Reads behind the desk and the supervisor view: today's figures, opening hours, reason labels."""

from datetime import datetime, timedelta

from django.utils import timezone

from kefu.contactcenter import selectors
from kefu.contactcenter.models import Queue
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core import clock

from .desk_support import call


def _local(y, m, d, hh, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def test_queue_is_open_follows_weekday_hours(cc):
    q = Queue(code="X", name="X", org=cc.province, opening_hours={"1": ["08:00", "20:00"]})
    assert selectors.queue_is_open(q, _local(2025, 3, 3, 8, 0))       # Monday 08:00
    assert not selectors.queue_is_open(q, _local(2025, 3, 3, 20, 0))  # closes at 20:00
    assert not selectors.queue_is_open(q, _local(2025, 3, 4, 12, 0))  # Tuesday not listed: closed
    q.opening_hours = {}
    assert selectors.queue_is_open(q, _local(2025, 3, 4, 3, 0))


def test_today_starts_at_local_midnight_and_yesterday_is_left_out(cc):
    a1 = cc.agents[0]
    clock.freeze(_local(2025, 3, 3, 23, 50))
    ag.agent_login(actor=a1, extension="8001")

    def one_call(talk_seconds, wrap_seconds):
        ag.agent_set_state(actor=a1, state="ready")
        c = call("13900000002", cc.q_general)
        [oid] = route()
        ct.offer_accept(actor=a1, offer_id=oid)
        clock.advance(timedelta(seconds=talk_seconds))
        ct.contact_end(contact_id=c.pk, actor=a1)
        clock.advance(timedelta(seconds=wrap_seconds))
        ct.contact_wrap_up(actor=a1, contact_id=c.pk, disposition="solved")

    one_call(60, 10)  # yesterday
    clock.freeze(_local(2025, 3, 4, 9, 0))
    one_call(100, 20)
    one_call(200, 40)
    assert selectors.day_start() == _local(2025, 3, 4, 0, 0)
    assert selectors.agent_today(actor=a1) == {"handled": 2, "aht_seconds": 180}
    [gen] = [q for q in selectors.queue_stats(actor=cc.sup) if q["code"] == "GEN"]
    assert gen["answered"] == 2 and gen["service_level"] == 100.0


def test_reason_labels(cc):
    assert selectors.reason_label("meal") == "用餐"  # from the parameter
    assert selectors.reason_label("") == ""
    assert selectors.reason_label("zzz") == "zzz"
    assert selectors.reason_label("supervisor")  # a system reason has a label of its own
