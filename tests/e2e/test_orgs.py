"""Journey: an administrator grows and reshapes the organisation tree."""

from kefu.core.testing import make_org, make_staff
from kefu.orgs.models import Organisation

from .conftest import login


def row(page, code):
    return page.locator(f'[data-testid="org-row-{code}"]')


def test_admin_creates_a_city_branch_moves_a_department_and_is_stopped_from_a_loop(page, transactional_db):
    gd = make_org(code="GD", name="广东省客服中心", kind="province")
    gz = make_org(code="GZ", name="广州分公司", kind="city", parent=gd)
    sz = make_org(code="SZ", name="深圳分公司", kind="city", parent=gd)
    kf = make_org(code="GZ-KF", name="广州客服部", kind="department", parent=gz)
    kf1 = make_org(code="GZ-KF-1", name="广州客服一组", kind="department", parent=kf)
    make_org(code="EXT-BOSS", name="广东BOSS计费系统", kind="external", parent=gd, external_kind="billing")
    make_staff(org=gd, employee_no="e2e-admin", name="管理员", is_super=True)
    login(page, "e2e-admin")

    page.click('nav a[href="/orgs/"]')
    page.wait_for_selector('[data-testid="org-tree"]')
    assert "计费" in row(page, "EXT-BOSS").inner_text()  # external party with its external kind

    # A new city branch under the province, from the province's row.
    row(page, "GD").locator('[data-testid="org-add-child"]').click()
    page.fill("#id_code", "FS")
    page.fill("#id_name", "佛山分公司")
    page.select_option("#id_kind", "city")
    assert page.locator("#id_parent").input_value() == str(gd.pk)
    page.click('[data-testid="org-save"]')
    page.wait_for_selector('[data-testid="org-row-FS"]')
    assert row(page, "FS").get_attribute("data-level") == "1"
    fs = Organisation.objects.get(code="FS")
    assert fs.parent_id == gd.pk and fs.kind == "city"

    # Move the Guangzhou customer-service department to Shenzhen.
    row(page, "GZ-KF").locator('[data-testid="org-move"]').click()
    page.select_option("#id_parent", str(sz.pk))
    page.click('[data-testid="org-move-save"]')
    page.wait_for_selector('[data-testid="org-tree"]')
    codes = page.locator('[data-testid^="org-row-"]').evaluate_all(
        "rows => rows.map(r => r.dataset.testid.replace('org-row-', ''))")
    assert codes.index("GZ-KF") == codes.index("SZ") + 1
    assert codes.index("GZ-KF-1") == codes.index("GZ-KF") + 1
    assert row(page, "GZ-KF-1").get_attribute("data-level") == "3"
    assert Organisation.objects.get(pk=kf1.pk).path.startswith(Organisation.objects.get(pk=sz.pk).path)

    # Moving the department under its own sub-group is refused, clearly.
    row(page, "GZ-KF").locator('[data-testid="org-move"]').click()
    page.select_option("#id_parent", str(kf1.pk))
    page.click('[data-testid="org-move-save"]')
    error = page.locator(".field .errors")
    error.wait_for()
    text = error.inner_text()
    assert "广州客服部" in text and "广州客服一组" in text
    assert Organisation.objects.get(pk=kf.pk).parent_id == sz.pk

    # Deactivate the new branch (htmx: the row greys out in place), then bring it back.
    page.goto("/orgs/")
    page.on("dialog", lambda dialog: dialog.accept())
    row(page, "FS").locator('[data-testid="org-deactivate"]').click()
    page.wait_for_selector('[data-testid="org-row-FS"].org-inactive')
    assert not Organisation.objects.get(code="FS").active
    row(page, "FS").locator('[data-testid="org-reactivate"]').click()
    page.wait_for_selector('[data-testid="org-row-FS"]:not(.org-inactive) [data-testid="org-deactivate"]')
    assert Organisation.objects.get(code="FS").active
