"""Journey: an administrator creates a person with role and team, then grants
them a temporary permission; the person sees the page appear without logging
in again, and sees it vanish once the clock passes the end."""

from datetime import timedelta

from playwright.sync_api import expect

from kefu.core import clock
from kefu.core.testing import make_org, make_staff
from kefu.iam.services.roles import role_create
from kefu.iam.services.teams import team_create

from .conftest import login

NEW_PASSWORD = "Kefu2026pass"


def _nav(page):
    return page.locator("nav.sidenav")


def test_admin_creates_a_person_with_role_and_team(page, transactional_db):
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    make_staff(org=province, employee_no="e2eadmin", name="管理员", is_super=True, position="admin")
    role = role_create(actor="test", name="话务员")
    team = team_create(actor="test", name="一班", org=province)

    login(page, "e2eadmin")
    _nav(page).get_by_role("link", name="人员管理").click()
    page.click("[data-testid=staff-new]")
    page.fill("#id_employee_no", "e2e100")
    page.fill("#id_name", "王小明")
    page.fill("#id_password", NEW_PASSWORD)
    page.select_option("#id_org", str(province.pk))
    page.select_option("#id_role", str(role.pk))
    page.select_option("#id_position", "agent")
    page.select_option("#id_team", str(team.pk))
    page.click("[data-testid=staff-save]")
    expect(page.locator("[data-testid=staff-title]")).to_contain_text("王小明")

    page.goto("/iam/staff/?q=e2e1")
    row = page.locator("[data-testid=staff-row-e2e100]")
    expect(row).to_contain_text("王小明")
    expect(row).to_contain_text("话务员")
    expect(row).to_contain_text("一班")

    # A supervisor is refused by the team with a clear message, and nothing is created.
    page.goto("/iam/staff/new/")
    page.fill("#id_employee_no", "e2e101")
    page.fill("#id_name", "李值班")
    page.fill("#id_password", NEW_PASSWORD)
    page.select_option("#id_org", str(province.pk))
    page.select_option("#id_position", "supervisor")
    page.select_option("#id_team", str(team.pk))
    page.click("[data-testid=staff-save]")
    expect(page.locator(".errors")).to_contain_text("班组只能包含话务员")
    page.goto("/iam/staff/?q=e2e101")
    expect(page.locator("[data-testid=staff-row-e2e101]")).to_have_count(0)


def test_temporary_permission_appears_without_relogin_and_vanishes_after_its_end(
    page, browser, live_server, transactional_db
):
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    make_staff(org=province, employee_no="e2eadmin", name="管理员", is_super=True, position="admin")
    make_staff(org=province, employee_no="e2e200", name="赵临时")

    holder_ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN",
                                     base_url=live_server.url)
    holder_ctx.set_default_timeout(10_000)
    holder = holder_ctx.new_page()
    try:
        login(holder, "e2e200")
        expect(_nav(holder).get_by_role("link", name="技能组管理")).to_have_count(0)
        assert holder.goto("/iam/skills/").status == 403

        login(page, "e2eadmin")
        page.goto("/iam/temporary/")
        page.click("[data-testid=temporary-grant] summary")
        page.fill("#id_holders", "e2e200")
        page.fill("#id_reason", "夜班顶岗")
        page.check("[data-testid='perm-iam.skill.view']")
        page.click("[data-testid=temporary-save]")
        row = page.locator("[data-testid=temporary-table] tbody tr").first
        expect(row).to_contain_text("夜班顶岗")
        expect(row).to_contain_text("iam.skill.view")
        expect(row.locator("[data-testid=state]")).to_have_text("生效中")

        # Same session, no re-login: the next request sees the grant.
        holder.reload()
        _nav(holder).get_by_role("link", name="技能组管理").click()
        expect(holder.locator("[data-testid=skills-title]")).to_have_text("技能组管理")

        clock.advance(timedelta(hours=9))  # the form's default window is eight hours
        holder.reload()
        assert "技能组管理" not in holder.locator("nav.sidenav").inner_text()
        assert holder.goto("/iam/skills/").status == 403

        page.goto("/iam/temporary/?state=ended")
        expect(page.locator("[data-testid=temporary-table]")).to_contain_text("夜班顶岗")
    finally:
        holder_ctx.close()


def test_role_tree_team_members_skills_tokens_and_own_password(page, transactional_db):
    from kefu.iam.models import ApiToken, Role, Staff

    province = make_org(code="GD", name="广东省客服中心", kind="province")
    make_staff(org=province, employee_no="e2eadmin", name="管理员", is_super=True, position="admin")
    role = role_create(actor="test", name="质检员")
    team = team_create(actor="test", name="一班", org=province)
    make_staff(org=province, employee_no="e2e300", name="钱话务")
    make_staff(org=province, employee_no="e2e301", name="孙值班", position="supervisor")
    login(page, "e2eadmin")

    # Permission-tree editor: ticking a function ticks its buttons; saving grants the function only.
    page.goto(f"/iam/roles/{role.pk}/")
    page.check("[data-testid='perm-iam.team']")
    expect(page.locator("[data-testid='perm-iam.team.view']")).to_be_checked()
    expect(page.locator("[data-testid='perm-iam.team.edit']")).to_be_checked()
    page.uncheck("[data-testid='perm-iam.team.edit']")
    expect(page.locator("[data-testid='perm-iam.team']")).not_to_be_checked()
    page.click("[data-testid=grants-save]")
    expect(page.locator(".msg-success")).to_contain_text("iam.team.view")
    assert list(Role.objects.get(pk=role.pk).grants.values_list("node__code", flat=True)) == ["iam.team.view"]
    expect(page.locator("[data-testid='perm-iam.team.view']")).to_be_checked()

    # Team members: an agent joins; a supervisor is refused with the agents-only message.
    page.goto(f"/iam/teams/{team.pk}/")
    page.fill("[data-testid=member-no]", "e2e301")
    page.click("[data-testid=member-add]")
    expect(page.locator("[data-testid=members-error]")).to_contain_text("班组只能包含话务员")
    page.fill("[data-testid=member-no]", "e2e300")
    page.click("[data-testid=member-add]")
    expect(page.locator("[data-testid=member-e2e300]")).to_contain_text("钱话务")
    page.click("[data-testid=member-remove-e2e300]")
    expect(page.locator("[data-testid=member-e2e300]")).to_have_count(0)

    # Skill groups: create one, give a person a level.
    page.goto("/iam/skills/")
    page.fill("#id_code", "vip")
    page.fill("#id_name", "大客户服务")
    page.click("[data-testid=skill-create]")
    page.fill("[data-testid=holder-no]", "e2e300")
    page.fill("[data-testid=holder-level]", "8")
    page.click("[data-testid=holder-set]")
    expect(page.locator("[data-testid=holder-e2e300]")).to_contain_text("8 / 10")

    # API token: the secret is shown once, and works.
    page.goto("/iam/tokens/")
    page.fill("#id_name", "BOSS 网关")
    page.click("[data-testid=token-create]")
    secret = page.input_value("[data-testid=token-secret]")
    assert secret.startswith("kefu_")
    token = ApiToken.objects.get(name="BOSS 网关")
    answer = page.request.get("/api/iam/me", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["employee_no"] == "e2eadmin"
    page.goto("/iam/tokens/")
    assert secret not in page.content()
    page.once("dialog", lambda d: d.accept())
    page.click(f"[data-testid=token-revoke-{token.prefix}]")
    expect(page.locator(f"[data-testid=token-row-{token.prefix}]")).to_contain_text("已收回")

    # My own password.
    page.get_by_role("link", name="修改我的密码").click()
    page.fill("#id_old_password", "wrong-one-1")
    page.fill("#id_new_password", "Brand2026new")
    page.fill("#id_new_password2", "Brand2026new")
    page.click("[data-testid=password-save]")
    expect(page.locator(".errors")).to_contain_text("当前密码不正确")
    from kefu.core.testing import TEST_PASSWORD

    page.fill("#id_old_password", TEST_PASSWORD)
    page.fill("#id_new_password", "Brand2026new")
    page.fill("#id_new_password2", "Brand2026new")
    page.click("[data-testid=password-save]")
    expect(page.locator(".msg-success")).to_contain_text("密码已修改")
    assert Staff.objects.get(employee_no="e2eadmin").check_password("Brand2026new")
