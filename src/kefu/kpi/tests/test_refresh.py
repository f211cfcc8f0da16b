"""Interval rows rebuilt from contact records: idempotent, scoped, and the report reads only them."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu.contactcenter.models import Contact, Queue
from kefu.core.testing import make_org, make_staff
from kefu.kpi.models import IntervalStat
from kefu.kpi.selectors import ReportFilters, report_rows
from kefu.kpi.services.refresh import intervals_rebuild

pytestmark = pytest.mark.django_db


def at(h, m=0, s=0):
    return timezone.make_aware(datetime(2026, 3, 2, h, m, s))


@pytest.fixture
def world():
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    city = make_org(code="GZ", name="广州分公司", kind="city", parent=province)
    other = make_org(code="SZ", name="深圳分公司", kind="city", parent=province)
    q = Queue.objects.create(
        code="GZQ", name="广州队列", org=city, sl_target_seconds=20, short_abandon_seconds=5
    )
    q2 = Queue.objects.create(code="SZQ", name="深圳队列", org=other)
    agent = make_staff(org=city, employee_no="1001")

    def call(queue, start, *, wait=None, abandon_after=None, talk=60):
        answered = start + timedelta(seconds=wait) if wait is not None else None
        ended = answered + timedelta(seconds=talk) if answered else start + timedelta(seconds=abandon_after)
        return Contact.objects.create(
            queue=queue,
            agent=agent if answered else None,
            started_at=start,
            enqueued_at=start,
            answered_at=answered,
            ended_at=ended,
            state="ended",
            wrap_up_ended_at=ended + timedelta(seconds=30) if answered else None,
            abandoned=answered is None,
        )

    call(q, at(9, 1), wait=10)
    call(q, at(9, 14, 50), wait=30, talk=600)  # spans the 09:15 boundary: stays in 09:00
    call(q, at(9, 20), abandon_after=40)
    call(q, at(9, 21), abandon_after=2)  # short abandon
    call(q2, at(9, 5), wait=5)
    return {
        "city": city,
        "province": province,
        "queue": q,
        "agent": agent,
        "viewer": make_staff(org=city, perms=["kpi.report.view"]),
        "boss": make_staff(org=province, perms=["kpi.report.view"]),
    }


def _rows():
    return sorted(
        IntervalStat.objects.values_list(
            "bucket_start", "queue_id", "answered", "abandoned", "short_abandoned", "answered_in_sl", "talk_s"
        )
    )


def test_rebuilding_an_interval_twice_gives_the_same_rows(world):
    intervals_rebuild(since=at(9), until=at(10))
    first = _rows()
    intervals_rebuild(since=at(9), until=at(10))
    assert _rows() == first
    q = world["queue"].pk
    assert [(r[0], r[2:]) for r in first if r[1] == q] == [
        (at(9), (2, 0, 0, 1, 660.0)),
        (at(9, 15), (0, 2, 1, 0, 0.0)),
    ]


def test_report_per_queue_is_scoped_to_the_viewers_organisation(world):
    intervals_rebuild(since=at(9), until=at(10))
    f = ReportFilters(since=at(9).date(), until=at(9).date(), interval="total", group="queue")
    city = report_rows(actor=world["viewer"], filters=f)["rows"]
    assert [r["label"] for r in city] == ["GZQ 广州队列"]
    v = city[0]["values"]
    assert (
        v["offered"] == 3
        and v["answer_rate"] == pytest.approx(66.67)
        and v["service_level"] == pytest.approx(33.33)
    )
    assert v["abandon_rate"] == pytest.approx(33.33) and v["asa"] == 20.0
    assert len(report_rows(actor=world["boss"], filters=f)["rows"]) == 2


def test_report_by_interval_reads_interval_rows_in_a_fixed_number_of_queries(world):
    intervals_rebuild(since=at(9), until=at(10))
    f = ReportFilters(since=at(9).date(), until=at(9).date(), interval="15", group="agent")
    report_rows(actor=world["boss"], filters=f)  # warm per-process caches (permissions, parameters)
    with CaptureQueriesContext(connection) as ctx:
        out = report_rows(actor=world["boss"], filters=f)
    assert out["rows"]
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "contactcenter_contact" not in sql  # never the raw records
    assert len(ctx.captured_queries) <= 6, [q["sql"] for q in ctx.captured_queries]


def test_no_calls_no_rows(world):
    intervals_rebuild(since=at(3), until=at(4))
    assert not IntervalStat.objects.filter(bucket_start__lt=at(4)).exists()
    f = ReportFilters(since=at(3).date(), until=at(3).date(), interval="total")
    IntervalStat.objects.all().delete()
    assert report_rows(actor=world["boss"], filters=f)["rows"] == []


def test_survey_answers_count_in_the_satisfaction_rate_with_the_queue_they_name(world):
    from kefu.surveys.services.surveys import SurveyData, survey_answer, survey_create
    from kefu.surveys.tests.conftest import make_script

    _script, version = make_script(world["city"])
    for level in (5, 4, 2):
        survey = survey_create(actor="test", version=version, data=SurveyData(
            channel="sms", org_id=world["city"].pk, number="13800000001", queue="GZQ", agent_id=world["agent"].pk))
        survey_answer(actor="test", survey=survey, answers={"overall": level, "recommend": 8}, at=at(9, 30))
    intervals_rebuild(since=at(9), until=at(10))
    rows = IntervalStat.objects.filter(replies_rated__gt=0)
    assert sum(r.replies_rated for r in rows) == 3 and sum(r.replies_satisfied for r in rows) == 2
    assert {r.queue_id for r in rows} == {world["queue"].pk} and {r.agent_id for r in rows} == {world["agent"].pk}


def test_qa_scores_feed_the_qa_score_of_the_interval_they_were_given_in(world):
    from kefu.contactcenter.models import Contact
    from kefu.quality.models import Inspection

    contact = Contact.objects.filter(agent=world["agent"]).first()
    Inspection.objects.create(contact=contact, contact_at=contact.started_at, agent=world["agent"],
                              org=world["city"], form_version=_form_version(world), source="manual",
                              state="scored", score=82, scored_at=at(9, 40))
    intervals_rebuild(since=at(9), until=at(10))
    rows = IntervalStat.objects.filter(qa_scored__gt=0)
    assert [(r.qa_scored, r.qa_score_sum, r.agent_id) for r in rows] == [(1, 82.0, world["agent"].pk)]


def _form_version(world):
    from kefu.quality.tests.factories import make_form

    return make_form(world["city"]).versions.first()
