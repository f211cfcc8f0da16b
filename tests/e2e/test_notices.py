"""Journey: a supervisor registers BOSS and gives it its key; BOSS (the simulator, for real) asks for an arrears
notice; the request shows its progress and results; a callback BOSS refused is retried by hand; an agent
unsubscribes a customer from promotions on the customer page."""

from kefu.billing.selectors import period_of, period_shift
from kefu.billing.tests.factories import make_bill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.notices.bosssim import BossSimulator
from kefu.notices.models import Subscription
from kefu.notices.services.callbacks import callbacks_send
from kefu.notices.services.fanout import requests_fanout
from kefu.notices.services.reporting import requests_follow
from kefu.outlets.services.config import outlets_ensure_defaults
from kefu.outlets.services.sending import messages_dispatch
from kefu.outlets.tests.conftest import fill_bucket
from kefu.params.services import param_set

from .conftest import login


def _jobs():
    for _ in range(2):
        requests_fanout(worker="e2e")
        messages_dispatch(worker="e2e")
        requests_follow()
        callbacks_send(deadline_seconds=5)


def test_boss_publishes_an_arrears_notice_and_a_refused_callback_is_retried(page, live_server, transactional_db):
    outlets_ensure_defaults()
    fill_bucket()
    param_set(actor="test", key="notices.quiet_hours", raw="false")
    param_set(actor="test", key="notices.callback.max_attempts", raw="1")
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    foshan = make_org(code="FS", name="佛山分公司", kind="city", parent=province)
    customer = make_customer(org=foshan, name="陈欠费", number="13900000001")
    make_bill(customer.accounts.first(), period=period_shift(period_of(), -1), items=(("plan", "66.60"),),
              status="unpaid")
    make_staff(org=province, employee_no="e2e-sup", name="值班长", is_super=True)
    login(page, "e2e-sup")

    with BossSimulator(kefu_url=live_server.url, key_id="", secret="") as sim:
        page.goto("/notices/systems/")
        page.click('[data-testid="system-new"]')
        page.fill("#id_code", "boss")
        page.fill("#id_name", "计费系统")
        page.fill("#id_callback_url", sim.callback_url)
        page.select_option("#id_org", label="GD 广东省客服中心")
        page.click('[data-testid="system-save"]')
        sim.key_id = page.locator('[data-testid="issued-key-id"]').inner_text()
        sim.secret = page.locator('[data-testid="issued-secret-value"]').inner_text()
        page.reload()
        assert page.locator('[data-testid="issued-secret"]').count() == 0  # shown once

        sim.fail_next = 1  # BOSS is down when the result comes
        status, _answer = sim.send({"request_id": "AR-1", "kind": "arrears", "template": "arrears_notice",
                                    "rule": {"org": "FS", "min_arrears": 50}})
        assert status == 202
        _jobs()

        page.goto("/notices/")
        row = page.locator('[data-testid="request-row"]')
        assert row.count() == 1
        assert "1/1" in row.locator('[data-testid="request-progress"]').inner_text()
        assert row.locator('[data-testid="request-callback-failed"]').inner_text() == "回调失败"
        row.locator('[data-testid="request-link"]').click()
        assert page.locator('[data-testid="recipient-status"]').first.inner_text() == "已送达"
        failed = page.locator('[data-testid="callback-row"]', has_text="投递失败")
        assert failed.count() == 1
        failed.locator('[data-testid="callback-retry"]').click()
        page.wait_for_selector("text=已投递")
        assert sim.results("AR-1") == {"13900000001": "delivered"}

    page.goto(f"/crm/customers/{customer.pk}/")
    section = page.locator('[data-testid="notice-subscriptions"]')
    section.locator('[data-testid="subscription-toggle-promotion"]').click()
    section.locator('[data-testid="subscription-promotion"]', has_text="已退订").wait_for()
    assert not Subscription.objects.get(number="13900000001", kind="promotion").subscribed
