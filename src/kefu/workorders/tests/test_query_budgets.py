"""Query budgets of the work-order hot paths, counted over the whole HTTP request.

Every request also pays a fixed price that is not the work order's: the session
row and the staff row (``AUTH``; the person's permissions come from the
per-process cache once their first request loaded them), and
in these tests the outer transaction shows as SAVEPOINT/RELEASE (BEGIN/COMMIT in
production, which Django does not count: ``TXN``). The budgets below are the
work-order path's own queries plus those. Parameters, calendars, templates and
webhook subscriptions and grants come from the per-process caches (``kefu.core.versioned``);
the caches are reset after the fixtures are written, as a server would see them
once their transactions committed.
"""

import pytest

from kefu.core import versioned
from kefu.core.testing import JsonClient, client_for

from .conftest import COMPLAINT_FIELDS

AUTH = 2  # session, staff
TXN = 2  # SAVEPOINT + RELEASE of the service's transaction

BODY = {"kind": "complaint", "title": "资费争议", "description": "多扣费", "fields": COMPLAINT_FIELDS}


@pytest.fixture
def api(center):
    agent = JsonClient(client_for(center.agent))
    agent.post("/api/workorders/orders", {**BODY, "customer_id": center.vip.pk})  # templates, serial row exist
    versioned.reset_all()
    agent.post("/api/workorders/orders", {**BODY, "customer_id": center.vip.pk})  # this process's caches filled
    versioned.fill_all()  # and those of other apps' reactions (e.g. campaigns fed by closed complaints)
    return agent


def _create(api, center):
    r = api.post("/api/workorders/orders", {**BODY, "customer_id": center.vip.pk})
    assert r.status_code == 201, r.content
    return r.json()


def test_create_within_budget(center, api, django_assert_max_num_queries):
    # customer, serial (UPDATE … RETURNING), order INSERT, first step, timers (one bulk INSERT), audit entry
    with django_assert_max_num_queries(AUTH + TXN + 6):
        _create(api, center)


def test_actions_within_budget(center, api, django_assert_max_num_queries):
    order = _create(api, center)
    back = JsonClient(client_for(center.backoffice))
    gz = JsonClient(client_for(center.gz_handler))
    # Each action: the order's lock and its load (two statements, see services/locks.py: the load carries the
    # step count, the organisations and the creator's), the step, the station timers (one UPDATE re-arms the
    # previous station's pending ones for the new station; a kind that already fired is inserted anew), the
    # new holder's people, the notice, the order UPDATE and the audit entry — 8, the goal of
    # docs/benchmarks.md. The API's scope check is decided on the locked row, without a query. Dispatch also
    # resolves its target organisation; review gives the order to its creator, whose people are known; reply
    # and close notify nobody, and close (a final station) cancels every pending timer in one UPDATE.
    # Was 10 / 11 / 10 / 10 / 9 / 9: a scope query before the lock, a cancel pass before the timer insert
    # (two at a final station) and, at the creator's stations, the creator's organisation read on its own.
    steps = [
        (api, "accept", {}, 8),
        (back, "dispatch", {"to_org": "GZ", "text": "请处理"}, 9),
        (gz, "process", {"text": "已退费"}, 8),
        (back, "review", {"text": "复核通过"}, 7),
        (api, "reply", {"text": "已退还50元", "satisfaction": 5}, 6),
        (api, "close", {}, 6),
    ]
    version = order["version"]
    for client, action, extra, budget in steps:
        client.get("/api/workorders/notices")  # the session is settled outside the count
        with django_assert_max_num_queries(AUTH + TXN + budget):
            r = client.post(f"/api/workorders/orders/{order['id']}/actions/{action}", {"version": version, **extra})
        assert r.status_code == 200, r.content
        version = r.json()["version"]


def test_my_work_within_budget(center, api, django_assert_max_num_queries):
    _create(api, center)
    api.get("/api/workorders/my-work")
    # the page, its count, the batched read-audit row (the agent holds the orders they created)
    with django_assert_max_num_queries(AUTH + 3):
        r = api.get("/api/workorders/my-work")
    assert r.status_code == 200 and r.json()["count"] == 3


def test_list_within_budget(center, api, django_assert_max_num_queries):
    _create(api, center)
    # one count, the page, the read-audit row
    with django_assert_max_num_queries(AUTH + 3):
        r = api.get("/api/workorders/orders")
    assert r.status_code == 200 and r.json()["count"] == 3


def test_order_page_within_budget(center, api, django_assert_max_num_queries):
    order = _create(api, center)
    # order, steps, notices read, links both ways, forwards, attachments, read-audit row
    with django_assert_max_num_queries(AUTH + 8):
        r = api.client.get(f"/workorders/{order['serial']}/")
    assert r.status_code == 200
