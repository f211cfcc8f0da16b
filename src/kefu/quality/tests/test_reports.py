"""Reports by agent, team and period, the CSV export, the QA-score summary and the quality overview."""

from datetime import timedelta

from kefu.contactcenter.services.switch import switch_status_record
from kefu.core import clock
from kefu.quality.overview import quality_overview
from kefu.quality.reports import qa_score_summary, quality_report
from kefu.quality.services.inspections import ScoreSheet, inspection_create, inspection_score
from kefu.workorders.models import WorkOrder

from .conftest import api_for


def _score(qa, contact, points, hits=()):
    i = inspection_create(actor=qa.inspector, contact_id=contact.pk)
    return inspection_score(
        actor=qa.inspector, inspection_id=i.pk, sheet=ScoreSheet(points=points, fatal_hits=list(hits))
    )


def _period():
    return clock.now() - timedelta(days=1), clock.now() + timedelta(days=1)


def test_average_fatal_rate_by_agent_and_period(qa):
    _score(qa, qa.contacts[0], {"greeting": 10, "solution": 20})
    _score(qa, qa.contacts[1], {"greeting": 10, "solution": 20}, ["rude"])
    _score(qa, qa.contacts[3], {"greeting": 5, "solution": 10})
    start, end = _period()
    rows = {r.label: r for r in quality_report(actor=qa.inspector, start=start, end=end, group_by="agent")}
    assert (rows["A001 李话务"].average, rows["A001 李话务"].fatal_rate) == (50.0, 50.0)
    assert rows["A002 王话务"].average == 50.0 and rows["A002 王话务"].count == 1
    [day] = quality_report(actor=qa.inspector, start=start, end=end, group_by="day")
    assert (day.count, day.fatal) == (3, 1)
    # another branch sees none of it; the province does
    other = qa.sz_agent
    assert quality_report(actor=other, start=start, end=end, group_by=None)[0].count == 0
    assert qa_score_summary(scope=qa.province, start=start, end=end, group_by="org")[0]["count"] == 3


def test_the_report_page_draws_a_chart_and_exports_csv(qa):
    _score(qa, qa.contacts[0], {"greeting": 10, "solution": 20})
    client = api_for(qa.inspector).client
    page = client.get("/quality/report/?group_by=team").content.decode()
    assert "chart-quality" in page and "广州一班" in page and "echarts" in page
    r = client.get("/quality/report/export/?group_by=agent")
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv") and "A001 李话务,1,100.0,0,0.0,0,0.0" in text


def test_the_overview_shows_the_three_measures(qa):
    _score(qa, qa.contacts[0], {"greeting": 10, "solution": 20})
    switch_status_record(
        switch="sim", trunks_total=100, trunks_busy=25, ivr_ports_total=30, ivr_ports_busy=3, calls_blocked=2
    )
    start, end = _period()
    o = quality_overview(actor=qa.inspector, start=start, end=end)
    assert o["service"]["average"] == 100.0
    assert o["access"]["offered"] == 5 and o["access"]["answered"] == 5  # the Guangzhou calls
    assert o["access"]["switch"]["trunk_load"] == 25.0 and o["access"]["switch"]["link_up"]
    assert o["satisfaction"]["answers"] == 0 and o["satisfaction"]["satisfied_rate"] is None
    page = api_for(qa.inspector).client.get("/quality/overview/").content.decode()
    assert "25 / 100" in page


def test_complaint_satisfaction_counts_the_replies(qa):
    from kefu.workorders.services.orders import workorder_create

    fields = {"complainant_type": "ordinary", "category": "tariff", "level": "general", "source": "customer"}
    for level in (5, 4, 1):
        order, _ = workorder_create(
            actor=qa.agent, kind="complaint", title="投诉", description="d", fields=fields
        )
        WorkOrder.objects.filter(pk=order.pk).update(satisfaction=level, replied_at=clock.now())
    start, end = _period()
    s = quality_overview(actor=qa.supervisor, start=start, end=end)["satisfaction"]
    assert (s["answers"], s["satisfied_rate"], s["dissatisfied_rate"]) == (3, 66.7, 33.3)
