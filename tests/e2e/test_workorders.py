"""Journeys through the work-order screens (Playwright + Chromium)."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.workorders.services.timers import timers_sweep

from .conftest import login

HANDLER = ["workorders.order.view", "workorders.order.handle"]


def _center():
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    gz = make_org(code="GZ", kind="city", name="广州分公司", parent=province)
    admin = make_staff(org=province, employee_no="wo-admin", name="管理员", is_super=True, position="admin")
    handler = make_staff(org=gz, perms=HANDLER, employee_no="gz-handler", name="张处理", position="handler")
    vip = make_customer(org=gz, name="陈大客户", tier="vip", brand="gotone", number="13900000001")
    return province, gz, admin, handler, vip


def _act(page, action, **fields):
    page.click(f"[data-testid=action-{action}]")
    page.wait_for_selector("[data-testid=action-form]")
    for name, value in fields.items():
        el = page.locator(f"[data-testid=action-form] [name={name}]")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(str(value))  # matches an option's value or its label
        else:
            el.fill(str(value))
    with page.expect_navigation():
        page.click("[data-testid=action-submit]")


def _create_complaint(page, vip_number="13900000001", title="套餐资费多扣"):
    page.goto("/workorders/new/?kind=complaint")
    page.fill("[name=title]", title)
    page.fill("[name=description]", "客户反映本月多扣50元")
    page.fill("[name=subscriber_number]", vip_number)
    page.select_option("[name=f_complainant_type]", "vip")
    page.select_option("[name=f_category]", "tariff")
    page.select_option("[name=f_level]", "general")
    page.select_option("[name=f_source]", "customer")
    with page.expect_navigation():
        page.click("[data-testid=create-submit]")
    return page.inner_text("[data-testid=serial]")


def test_vip_complaint_dispatched_processed_returned_replied_closed(page, browser, live_server, transactional_db):
    province, gz, admin, handler, vip = _center()
    login(page, "wo-admin")
    serial = _create_complaint(page)
    assert serial.startswith("TS")
    assert "VIP" in page.inner_text(".wo-head")
    _act(page, "accept")
    _act(page, "dispatch", to_org=str(gz.pk), text="请广州分公司核实扣费")
    assert "广州分公司" in page.inner_text("[data-testid=holder]")

    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=live_server.url)
    city = ctx.new_page()
    login(city, "gz-handler")
    city.goto("/workorders/?scope=org")
    city.click(f"text={serial}")
    _act(city, "process", text="已核实，系统重复扣费")

    page.goto(f"/workorders/{serial}/")
    _act(page, "return", text="请附退款凭证")
    city.goto(f"/workorders/{serial}/")
    _act(city, "process", text="已退款50元，凭证已附")
    ctx.close()

    page.goto(f"/workorders/{serial}/")
    _act(page, "review", text="复核通过")
    _act(page, "reply", text="已为您退还50元", satisfaction="5")
    _act(page, "close")
    assert page.inner_text("[data-testid=state]") in ("已关闭", "Closed")
    history = page.inner_text("[data-testid=history]")
    for word in ("派单", "处理", "退单", "回复", "结案"):
        assert word in history
    assert "非常满意" in page.inner_text("[data-testid=satisfaction]")


def test_suggestion_reviewed_invalid_is_closed(page, transactional_db):
    _center()
    login(page, "wo-admin")
    page.goto("/workorders/new/?kind=suggestion")
    page.fill("[name=title]", "建议延长营业厅营业时间")
    page.fill("[name=description]", "晚上八点后无法办理业务")
    with page.expect_navigation():
        page.click("[data-testid=create-submit]")
    _act(page, "accept")
    _act(page, "review", outcome="invalid", category="rules", text="营业时间已公示，建议无效")
    assert page.inner_text("[data-testid=state]") in ("已关闭", "Closed")


def test_appeal_linked_to_a_closed_complaint(page, transactional_db):
    _center()
    login(page, "wo-admin")
    serial = _create_complaint(page)
    _act(page, "withdraw", text="客户同意撤诉")
    _act(page, "reopen", appeal_source="regulator", text="客户向工信部申诉")
    appeal = page.inner_text("[data-testid=serial]")
    assert appeal.startswith("SS")
    assert serial in page.inner_text("body")


def test_overdue_order_appears_in_supervision_after_the_clock_moves(page, transactional_db):
    _center()
    clock.freeze(clock.now())
    login(page, "wo-admin")
    serial = _create_complaint(page, title="宽带故障多次未修复")
    page.goto("/workorders/supervision/")
    assert serial not in page.inner_text("[data-testid=order-table]")
    clock.advance(timedelta(hours=3, minutes=5))  # past the VIP station limit
    timers_sweep()
    page.goto("/workorders/supervision/")
    assert serial in page.inner_text("[data-testid=order-table]")
    page.click(f"text={serial}")
    assert page.is_visible("[data-testid=overdue]")
