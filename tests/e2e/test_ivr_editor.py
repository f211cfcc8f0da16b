"""An administrator checks the 10086 IVR with a test call in the flow editor (Playwright + Chromium)."""

from playwright.sync_api import expect

from kefu.core.testing import make_org, make_staff
from kefu.crm.models import Customer
from kefu.ivr.tests.factories import build_center

from .conftest import login


def _press(page, keys: str) -> None:
    for key in keys:
        page.click(f"[data-testid=keypad] [data-key='{key}']")


def test_a_vip_test_call_hears_the_bill_then_locks_the_password(transactional_db, page):
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    center = build_center(province)
    make_staff(org=province, employee_no="ivr-admin", name="管理员", is_super=True, position="admin")
    login(page, "ivr-admin")

    page.goto("/ivr/")
    page.click("[data-testid=open-flow-10086]")
    expect(page.get_by_test_id("flow-title")).to_contain_text("10086")
    expect(page.get_by_test_id("node-main")).to_contain_text("查询本月话费请按1")
    expect(page.get_by_test_id("draft-ok")).to_be_visible()

    transcript = page.get_by_test_id("transcript")
    page.fill("[data-testid=test-caller]", "13900000001")
    page.click("[data-testid=test-start]")
    expect(transcript).to_contain_text("欢迎致电中国移动10086")
    expect(page.get_by_test_id("test-expect")).to_contain_text("请按一个键")

    _press(page, "1")
    expect(transcript).to_contain_text("您本月话费为 128.50 元")
    _press(page, "*")  # not 1 or 2 at the SMS offer: go on
    expect(transcript).to_contain_text("返回主菜单请按星号键")
    _press(page, "*")
    # Wait for the main menu itself: an older "waiting for a key" line must not let the next key race ahead.
    expect(transcript.locator("li", has_text="查询本月话费请按1")).to_have_count(2)
    _press(page, "2")
    expect(transcript).to_contain_text("请输入您的6位服务密码")

    _press(page, "000000")
    expect(transcript).to_contain_text("还可以输入 2 次")
    _press(page, "111111")
    expect(transcript).to_contain_text("还可以输入 1 次")
    _press(page, "22222#")  # the end key sends at once
    expect(transcript).to_contain_text("服务密码已被锁定")
    expect(page.get_by_test_id("test-finished")).to_contain_text("来电已离开语音导航进入队列")
    assert Customer.objects.get(pk=center.vip.pk).service_password_is_locked
