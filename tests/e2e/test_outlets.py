"""Journey: a supervisor finds a delivered message in the log, then edits the template it came from."""

from kefu.core.testing import make_org, make_staff
from kefu.outlets.models import Template
from kefu.outlets.services.config import outlets_ensure_defaults
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.sending import messages_dispatch

from .conftest import login


def test_message_log_filters_by_status_and_a_template_is_edited_and_previewed(page, transactional_db):
    outlets_ensure_defaults()  # an earlier browser test may have emptied the tables
    org = make_org(code="GD", kind="province")
    make_staff(org=org, employee_no="e2e-admin", name="管理员", is_super=True)
    send_message(recipient="13800000001", outlet="sms", purpose="billing", idempotency_key="e2e-1",
                 template="arrears_notice", variables={"number": "13800000001", "amount": "56.20"})
    messages_dispatch(worker="e2e")
    send_message(recipient="13800000002", outlet="call", purpose="service", idempotency_key="e2e-2",
                 body="您的话费余额不足")
    login(page, "e2e-admin")

    page.goto("/outlets/")
    rows = page.locator('[data-testid="message-row"]')
    assert rows.count() == 2
    page.select_option("#id_status", "delivered")
    page.click('[data-testid="message-filter-submit"]')
    page.wait_for_url("**status=delivered**")
    assert rows.count() == 1 and "13800000001" in rows.first.inner_text()
    assert rows.first.locator('[data-testid="message-status"]').inner_text() == "已送达"
    rows.first.locator("a").click()
    assert "56.20" in page.locator('[data-testid="message-body"]').inner_text()

    page.goto("/outlets/templates/")
    page.click('[data-testid="template-link-arrears_notice"]')
    page.fill("#id_body", "尊敬的客户，号码{{ number }}欠费{{ amount }}元，请尽快缴费。")
    page.click('[data-testid="template-save"]')
    page.wait_for_selector("text=版本 2")
    assert Template.objects.get(code="arrears_notice").version == 2

    page.fill('[data-testid="template-variables"]', '{"number": "13800000003"}')
    page.click('[data-testid="template-preview"]')
    error = page.locator('[data-testid="preview-error"]')
    error.wait_for()
    assert "amount" in error.inner_text() and "缺少变量" in error.inner_text()
    page.fill('[data-testid="template-variables"]', '{"number": "13800000003", "amount": "9.90"}')
    page.click('[data-testid="template-preview"]')
    page.locator('[data-testid="preview-text"]').wait_for()
    assert page.locator('[data-testid="preview-text"]').inner_text() == "尊敬的客户，号码13800000003欠费9.90元，请尽快缴费。"
    assert "1 条短信" in page.locator('[data-testid="preview-segments"]').inner_text()
