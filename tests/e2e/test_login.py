"""Journey: a person logs in, switches to English, and logs out."""

from kefu.core.testing import make_org, make_staff

from .conftest import login


def test_log_in_switch_language_and_log_out(page, transactional_db):
    org = make_org(code="GD", kind="province")
    make_staff(org=org, employee_no="e2e001", name="张三", is_super=True)

    page.goto("/")
    assert "/iam/login/" in page.url
    page.fill("#employee_no", "e2e001")
    page.fill("#password", "wrong-pass-1")
    page.click("button[type=submit]")
    assert "工号或密码错误" in page.inner_text("[data-testid=login-error]")

    login(page, "e2e001")
    assert "张三" in page.inner_text("[data-testid=whoami]")
    assert "欢迎" in page.inner_text("h1")

    page.select_option("[data-testid=language]", "en")
    page.wait_for_selector("text=Welcome")
    page.click("[data-testid=logout]")
    page.wait_for_selector("#employee_no")
