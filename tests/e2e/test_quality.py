"""Journey: an inspector picks a call by hand and scores it (a fatal error zeroes it); the agent reads the
result on "my quality" and disputes it; a supervisor revises the score; the report draws its chart."""

from playwright.sync_api import expect

from kefu.core.testing import make_org, make_staff
from kefu.iam.models import Team
from kefu.quality.permissions import DECIDE, FORM_EDIT, FORM_VIEW, IMPROVE, OWN, REPORT, SCORE, VIEW
from kefu.quality.tests.factories import make_contact, make_form, make_queue

from .conftest import login


def _logout(page):
    page.context.clear_cookies()


def test_an_inspection_is_scored_disputed_and_revised(page, live_server, transactional_db):
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    gz = make_org(code="GZ", name="广州分公司", kind="city", parent=province)
    team = Team.objects.create(org=gz, name="广州一班")
    agent = make_staff(org=gz, perms=[OWN], employee_no="e2e-agent", name="李话务", team=team)
    make_staff(
        org=gz,
        perms=[FORM_VIEW, FORM_EDIT, VIEW, SCORE, IMPROVE, REPORT],
        employee_no="e2e-qa",
        name="质检员",
    )
    make_staff(org=gz, perms=[VIEW, DECIDE, REPORT], employee_no="e2e-sup", name="赵班长")
    make_form(province)
    contact = make_contact(agent, queue=make_queue(gz))

    login(page, "e2e-qa")
    page.goto("/quality/")
    page.fill("#id_contact", str(contact.pk))
    page.click('[data-testid="manual-submit"]')
    page.fill('[data-testid="points-greeting"]', "10")
    page.fill('[data-testid="points-solution"]', "16")
    page.check('[data-testid="fatal-rude"]')
    page.click('[data-testid="score-submit"]')
    expect(page.locator('[data-testid="inspection-score"]')).to_contain_text("0.0")
    _logout(page)

    login(page, "e2e-agent")
    page.goto("/quality/mine/")
    page.click('[data-testid="mine-link"]')
    page.fill("#id_reason", "客户先辱骂，我未回骂")
    page.click('[data-testid="dispute-submit"]')
    expect(page.locator('[data-testid="mine-state"]')).to_have_text("申诉中")
    _logout(page)

    login(page, "e2e-sup")
    page.goto("/quality/?state=disputed")
    page.click('[data-testid="inspection-link"]')
    page.select_option("#id_decision", "revised")
    page.fill("#id_score", "88")
    page.fill("#id_note", "听录音后确认未回骂")
    page.click('[data-testid="decision-submit"]')
    expect(page.locator('[data-testid="inspection-score"]')).to_contain_text("88.0")
    page.goto("/quality/report/?group_by=team")
    page.wait_for_selector('[data-testid="chart-quality"][data-ready="1"]')
    expect(page.locator('[data-testid="report-table"]')).to_contain_text("广州一班")
