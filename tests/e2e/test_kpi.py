"""Journey: a supervisor reads a day's indicators per queue with the chart, drills into the records and
exports them; the wallboard shows the queue waiting live."""

from datetime import datetime, timedelta

from django.utils import timezone

from kefu.contactcenter.models import Contact, Queue
from kefu.core.testing import make_org, make_staff
from kefu.kpi.services.refresh import intervals_rebuild

from .conftest import login


def at(h, m=0):
    return timezone.make_aware(datetime(2026, 3, 2, h, m))


def _center():
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    queue = Queue.objects.create(code="GEN", name="综合队列", org=province, sl_target_seconds=20)
    agent = make_staff(org=province, employee_no="1001", name="话务员一")
    make_staff(org=province, employee_no="SUP", name="值班长", perms=["kpi.report.view", "kpi.report.export",
                                                                           "kpi.wallboard.view", "contactcenter.contact.view"])
    for minute, wait in ((1, 10), (5, 30), (20, None), (40, 5)):
        start = at(9, minute)
        answered = start + timedelta(seconds=wait) if wait is not None else None
        Contact.objects.create(queue=queue, agent=agent if answered else None, started_at=start, enqueued_at=start,
                               answered_at=answered, ended_at=(answered or start) + timedelta(seconds=60),
                               state="ended", abandoned=answered is None,
                               wrap_up_ended_at=answered + timedelta(seconds=90) if answered else None)
    Contact.objects.create(queue=queue, started_at=timezone.now(), enqueued_at=timezone.now(), state="queued",
                           caller="13900000009")
    intervals_rebuild(since=at(9), until=at(10))


def test_a_day_by_queue_with_its_chart_drill_down_export_and_the_wallboard(page, transactional_db):
    _center()
    login(page, "SUP")
    page.goto("/kpi/?since=2026-03-02&until=2026-03-02&interval=day&group=queue&kind=service")
    rows = page.locator("[data-testid=kpi-row]")
    assert rows.count() == 1 and "GEN" in rows.first.inner_text()
    headers = page.locator("[data-testid=kpi-table] th").all_inner_texts()
    cells = rows.first.locator("td").all_inner_texts()
    answer_rate = cells[[h.split(" (")[0] for h in headers].index("接通率")]
    assert answer_rate == "75.0"  # 3 answered of 4 offered
    page.locator("#kpi-chart canvas").first.wait_for()  # ECharts drew the day

    with page.expect_download() as dl:
        page.click("[data-testid=kpi-csv]")
    with open(dl.value.path(), encoding="utf-8-sig") as exported:
        assert "GEN" in exported.read()

    rows.first.locator("[data-testid=kpi-drill]").click()
    page.wait_for_url("**/contactcenter/**")
    assert page.locator("table tbody tr").count() == 4

    page.goto("/kpi/wallboard/")
    queues = page.locator("[data-testid=wb-queues] tbody tr")
    queues.first.wait_for()
    assert queues.first.inner_text().split("\t")[:2] == ["综合队列", "1"]
    assert page.locator("[data-testid=wb-waiting]").inner_text() == "1"
