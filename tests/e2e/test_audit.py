"""Journey: an administrator changes a parameter and grants a temporary
permission, then finds both in the audit log."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import make_org, make_staff
from kefu.iam.services.temporary import temporary_permission_grant

from .conftest import login


def test_admin_finds_a_parameter_change_and_a_temporary_grant_in_the_audit_log(page, transactional_db):
    org = make_org(code="GD", kind="province")
    admin = make_staff(org=org, employee_no="e2e-admin", name="管理员", is_super=True)
    holder = make_staff(org=org, employee_no="e2e-agent", name="值班话务员")
    now = clock.now()
    temporary_permission_grant(actor=admin, reason="夜班代班审计", codes=["audit.log.view"], holders=[holder],
                               starts_at=now, ends_at=now + timedelta(hours=8))
    login(page, "e2e-admin")

    # Change the VIP reply deadline.
    page.goto("/params/")
    vip = page.locator('[data-testid="param-sla.reply.vip"]')
    vip.locator('[data-testid="param-input"]').fill("6h")
    vip.locator('[data-testid="param-save"]').click()
    page.wait_for_selector('[data-testid="param-sla.reply.vip"] [data-testid="param-saved"]')

    # Search the log by object type and action.
    page.click('nav a[href="/audit/"]')
    page.select_option("#id_object_type", "params.parameter")
    page.select_option("#id_action", "update")
    page.click('[data-testid="audit-search"]')
    page.wait_for_url("**/audit/?*object_type=params.parameter*")
    entries = page.locator('[data-testid="audit-entry"]')
    entries.first.wait_for()
    assert entries.count() == 1
    entry = entries.first
    assert entry.get_attribute("data-object-type") == "params.parameter"
    changes = entry.locator('[data-testid="audit-changes"]').inner_text()
    assert "8h" in changes and "→" in changes and "6h" in changes
    assert "e2e-admin" in entry.inner_text()

    # Find the temporary permission grant by the action "grant".
    page.select_option("#id_object_type", "")
    page.select_option("#id_action", "grant")
    page.click('[data-testid="audit-search"]')
    page.wait_for_url("**/audit/?*action=grant*")
    grant = page.locator('[data-testid="audit-entry"][data-action="grant"]')
    grant.first.wait_for()
    assert grant.count() == 1
    text = grant.first.inner_text()
    assert "夜班代班审计" in text and "e2e-agent" in text and "audit.log.view" in text
