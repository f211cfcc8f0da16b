"""Work-order reply satisfaction and survey answers count in one rate, grouped by kind, team or period."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import make_staff
from kefu.surveys import stats
from kefu.surveys.services.surveys import SurveyData, survey_answer, survey_create
from kefu.workorders.models import WorkOrder
from kefu.workorders.tests.conftest import center, complaint  # noqa: F401  (fixture)

from .conftest import make_script


def test_replies_and_surveys_make_one_rate_by_kind_and_by_day(center):  # noqa: F811
    order = complaint(center)
    now = clock.now()
    WorkOrder.objects.filter(pk=order.pk).update(satisfaction=1, replied_at=now)
    _script, version = make_script(center.gz)
    s = survey_create(
        actor="test",
        version=version,
        data=SurveyData(channel="web", org_id=center.gz.pk, order_kind="complaint"),
    )
    survey_answer(actor="test", survey=s, answers={"overall": 5})
    viewer = make_staff(org=center.province, perms=["surveys.stats.view", "workorders.order.view"])
    span = {"start": now - timedelta(days=1), "end": now + timedelta(hours=1)}
    (kind,) = stats.satisfaction_counts(actor=viewer, group_by="kind", **span)
    assert (kind.key, kind.total, kind.rate, kind.counts[1], kind.counts[5]) == ("complaint", 2, 50.0, 1, 1)
    assert kind.label != "complaint"  # the kind's name, as work orders call it
    (day,) = stats.satisfaction_counts(actor=viewer, group_by="day", **span)
    assert day.total == 2
    only_orders = stats.satisfaction_counts(actor=viewer, sources=("orders",), **span)
    assert only_orders[0].total == 1 and only_orders[0].rate == 0.0
    stranger = make_staff(org=center.sz, perms=["surveys.stats.view"])
    assert stats.satisfaction_counts(actor=stranger, **span) == []
