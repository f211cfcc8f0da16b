"""Journey: a quality supervisor writes a survey script, publishes it and puts it to a customer; the
customer answers on a phone-sized page by the link; the satisfaction page shows the answer in its chart."""

from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer

from .conftest import login

DEFINITION = (
    '{"title": "服务回访", "questions": ['
    '{"id": "overall", "type": "five_level", "text": "您对本次服务满意吗？", "next": {"1": "why", "*": "end"}},'
    '{"id": "why", "type": "text", "text": "哪里不满意？"}]}'
)


def test_a_script_is_published_answered_by_the_customer_and_counted(
    page, browser, live_server, transactional_db
):
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    city = make_org(code="GZ", name="广州分公司", kind="city", parent=province)
    make_customer(org=city, name="陈客户", number="13900000001")
    make_staff(org=province, employee_no="e2e-qa", name="质检主管", is_super=True)
    login(page, "e2e-qa")

    page.goto("/surveys/scripts/new/")
    page.fill("#id_code", "HF")
    page.fill("#id_name", "服务回访")
    page.select_option("#id_org", label="GZ 广州分公司")
    page.click("[data-testid=script-save]")
    page.fill("#id_definition", DEFINITION)
    page.click("[data-testid=draft-save]")
    page.on("dialog", lambda d: d.accept())
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=question-list]")
    assert page.locator("[data-testid=question]").count() == 2

    page.fill("#id_numbers", "13900000001")
    page.select_option("#id_channel", "sms")
    page.click("[data-testid=sample-save]")
    link = page.locator("[data-testid=survey-link]").first.get_attribute("href")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(link)
    assert phone.locator("[data-testid=question-text]").inner_text() == "您对本次服务满意吗？"
    phone.click("[data-testid=question-next]")
    phone.wait_for_selector("[data-testid=question-error]")
    phone.check("input[name=answer][value='4']")
    phone.click("[data-testid=question-next]")
    phone.wait_for_selector("[data-testid=survey-done]")
    phone.context.close()

    page.goto("/surveys/rules/")
    page.fill("#id_name", "每日回访5%")
    page.fill("#id_percent", "5")
    page.click("[data-testid=rule-save]")
    page.wait_for_selector("[data-testid=rule-row]")
    page.fill("[data-testid=rule-row] input[name=day]", "2026-05-01")
    page.click("[data-testid=rule-draw-now]")
    assert page.locator("[data-testid=rule-draw]").first.inner_text() == "2026-05-01: 0/0"

    page.goto("/surveys/satisfaction/?group_by=org")
    page.wait_for_selector("[data-testid=chart-rate][data-ready='1']")
    assert page.locator("[data-testid=stats-rate]").inner_text() == "100.0%"
    assert "广州分公司" in page.locator("[data-testid=stats-row]").first.inner_text()
