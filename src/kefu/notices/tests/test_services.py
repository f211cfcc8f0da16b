"""Services of the notices without HTTP: kinds and quiet hours, subscriptions, windows, validation."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.notices.kinds import quiet_release, sms_keyword_parse
from kefu.notices.models import NoticeRecipient, NoticeRequest, RecipientStatus
from kefu.notices.services.fanout import not_before, requests_fanout
from kefu.notices.services.reporting import requests_follow
from kefu.notices.services.requests import RequestData, notice_request_receive
from kefu.notices.services.subscriptions import subscription_set, subscription_sms_keyword
from kefu.outlets.models import Message
from kefu.params.services import param_set

TZ = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


@pytest.mark.parametrize(("at", "release"), [
    ("2024-05-01 22:30", "2024-05-02 08:00"), ("2024-05-02 07:59", "2024-05-02 08:00"),
    ("2024-05-02 08:00", None), ("2024-05-02 20:59", None), ("2024-05-02 21:00", "2024-05-03 08:00")])
def test_quiet_hours_across_midnight(at, release):
    moment = datetime.fromisoformat(at).replace(tzinfo=TZ)
    expected = datetime.fromisoformat(release).replace(tzinfo=TZ) if release else None
    assert quiet_release(moment, start=21 * H, end=8 * H) == expected


def test_quiet_hours_within_a_day_and_none():
    noon = datetime(2024, 5, 1, 12, 30, tzinfo=TZ)
    assert quiet_release(noon, start=12 * H, end=14 * H) == datetime(2024, 5, 1, 14, tzinfo=TZ)
    assert quiet_release(noon, start=8 * H, end=8 * H) is None


@pytest.mark.parametrize(("text", "parsed"), [("TD优惠", ("promotion", False)), ("td 欠费", ("arrears", False)),
                                              ("ＤＹ调查", ("survey", True)), ("TD", None), ("TD天气", None),
                                              ("查话费", None)])
def test_sms_keywords(text, parsed):
    assert sms_keyword_parse(text, unsubscribe="TD", subscribe="DY") == parsed


def test_a_subscription_change_is_audited_once_and_the_same_choice_logs_nothing(db, admin):
    subscription_set(actor=admin, number="13800000001", kind="promotion", subscribed=False, source="agent")
    subscription_set(actor=admin, number="13800000001", kind="promotion", subscribed=False, source="agent")
    assert AuditEntry.objects.filter(object_type__contains="subscription").count() == 1
    assert subscription_sms_keyword(sender="13800000001", text="DY优惠", customer_id=None) is not None
    assert subscription_sms_keyword(sender="13800000001", text="你好", customer_id=None) is None


def test_bad_requests_are_refused_with_the_field_at_fault(db, boss_system, foshan):
    system = boss_system.system
    cases = [
        ({"kind": "nonsense", "body": "x", "recipients": [{"number": "13800000001"}]}, "invalid_kind"),
        ({"kind": "public", "body": "x"}, "recipients_or_rule"),
        ({"kind": "public", "body": "x", "template": "bill_notice", "recipients": [{"number": "13800000001"}]},
         "template_or_body"),
        ({"kind": "public", "body": "x", "recipients": [{"number": "123"}]}, "invalid_recipient"),
        ({"kind": "public", "body": "x", "recipients": [{"number": "13800000001"}, {"number": "+8613800000001"}]},
         "duplicate_recipient"),
        ({"kind": "public", "body": "x", "rule": {"org": "NOWHERE"}}, "unknown_org"),
        ({"kind": "arrears", "template": "arrears_notice", "recipients": [{"number": "13800000001"}]},
         "variables_missing"),
        ({"kind": "public", "body": "x", "rule": {"org": "FS"}, "window_start": clock.now(),
              "window_end": clock.now() - H}, "invalid_window"),
    ]
    for fields, code in cases:
        with pytest.raises(ValidationFailed) as exc:
            notice_request_receive(system=system, data=RequestData(request_id="bad", **fields))
        assert exc.value.code == code, fields
    assert not NoticeRequest.objects.exists()


def test_messages_wait_for_the_window_and_the_end_of_quiet_hours(db, boss_system):
    req = notice_request_receive(system=boss_system.system, data=RequestData(
        request_id="w", kind="public", body="x", recipients=[{"number": "13800000001"}])).request
    night = datetime(2024, 5, 1, 23, 0, tzinfo=TZ)
    assert not_before(req, night) == datetime(2024, 5, 2, 8, 0, tzinfo=TZ)
    req.window_start = datetime(2024, 5, 2, 10, 0, tzinfo=TZ)
    assert not_before(req, night) == req.window_start
    param_set(actor="test", key="notices.quiet_hours", raw="false")
    req.window_start = None
    assert not_before(req, night) == night


def test_a_closed_window_withdraws_what_was_not_sent(db, boss_system, no_quiet_hours):
    req = notice_request_receive(system=boss_system.system, data=RequestData(
        request_id="late", kind="public", body="x", recipients=[{"number": "13800000001"}],
        window_start=clock.now() + H, window_end=clock.now() + 2 * H)).request
    requests_fanout(worker="t")
    assert Message.objects.get().next_attempt_at >= req.window_start
    clock.freeze(clock.now() + 3 * H)
    requests_follow()
    requests_follow()
    r = NoticeRecipient.objects.get()
    assert r.status == RecipientStatus.FAILED and ("时间窗" in r.reason or "window" in r.reason)
    req.refresh_from_db()
    assert req.state == "finished" and req.failed == 1 and req.pending == 0
