"""Journey: an administrator changes the VIP reply deadline, and a wrong value is explained."""

from datetime import timedelta

from kefu.core.testing import make_org, make_staff
from kefu.params.selectors import param_get

from .conftest import login

VIP_ROW = '[data-testid="param-sla.reply.vip"]'


def test_admin_sets_the_vip_reply_deadline_and_sees_a_bad_value_refused(page, transactional_db):
    org = make_org(code="GD", kind="province")
    make_staff(org=org, employee_no="e2e-admin", name="管理员", is_super=True)
    login(page, "e2e-admin")

    page.goto("/params/")
    row = page.locator(VIP_ROW)
    box = row.locator('[data-testid="param-input"]')
    assert box.input_value() == "8h"  # shown the way it is typed, not 28800

    box.fill("6h")
    row.locator('[data-testid="param-save"]').click()
    saved = page.locator(f'{VIP_ROW} [data-testid="param-saved"]')
    saved.wait_for()
    assert "6h" in saved.inner_text()
    assert param_get("sla.reply.vip") == timedelta(hours=6)
    assert "管理员" in page.locator(f'{VIP_ROW} [data-testid="param-last-change"]').inner_text()

    page.reload()
    assert page.locator(f'{VIP_ROW} [data-testid="param-input"]').input_value() == "6h"

    page.locator(f'{VIP_ROW} [data-testid="param-input"]').fill("abc")
    page.locator(f'{VIP_ROW} [data-testid="param-save"]').click()
    error = page.locator(f'{VIP_ROW} [data-testid="param-error"]')
    error.wait_for()
    assert "abc" in error.inner_text() and "8h" in error.inner_text()
    assert "时长" in error.inner_text()  # the reason, in the user's language
    assert param_get("sla.reply.vip") == timedelta(hours=6)
    assert page.locator(f'{VIP_ROW} [data-testid="param-input"]').input_value() == "abc"
