"""An outbound campaign's main path in the browser (Playwright + Chromium + uvicorn).

The campaign manager creates a retention campaign with a script, imports a CSV in which one row is bad (the
error report names it), and starts it. An agent goes ready on the desk: the campaign's call rings as a
preview with the customer and the script; the agent calls, the simulated switch places the call and the
customer answers; the agent ends and records the campaign's outcome at wrap-up. The dashboard shows it.
"""

from playwright.sync_api import expect

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill

from .conftest import login

MANAGER = ["campaigns.campaign.view", "campaigns.campaign.edit", "campaigns.campaign.run", "campaigns.result.view"]



def _center():
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    skill = SkillGroup.objects.create(code="outbound", name="外呼")
    queue = Queue.objects.create(code="OUT", name="外呼队列", org=province)
    QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
    agent = make_staff(org=province, perms=["contactcenter.desk.use", "crm.customer.view"], employee_no="AG1",
                       name="话务员一")
    StaffSkill.objects.create(staff=agent, skill_group=skill, level=5)
    make_staff(org=province, perms=MANAGER, employee_no="CM1", name="外呼主管")
    make_customer(org=province, name="刘挽留", brand="easyown", number="13900000002")


def _work():
    """What the worker does in the background: read the imports, put due targets in flight."""
    from kefu.campaigns.jobs import campaign_imports, campaigns_tick

    campaign_imports()
    return campaigns_tick()


def _switch_places_the_call():
    from kefu.contactcenter.simswitch import CallerPool, InProcessTransport, OutboundBehaviour, SimSwitch
    from kefu.contactcenter.simswitch.runner import run_simulated

    answers = OutboundBehaviour(busy=0, rejected=0, answer=1, answer_machine=0, ring=(0.0, 0.0), talk=600)
    switch = SimSwitch(InProcessTransport(), rate=0, pool=CallerPool(), outbound=answers, poll_every=0.5)
    run_simulated(switch, seconds=3, step=0.5, jobs=False)
    return switch.stats.dialled


def test_create_import_start_call_record_and_see_the_dashboard(browser, asgi_server, tmp_path):
    asgi_server.run_sync(_center)
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=asgi_server.url)
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    login(page, "CM1")
    page.goto("/campaigns/")
    page.click("[data-testid=campaign-new]")
    page.fill("#id_name", "五月挽留")
    page.select_option("#id_kind", "retention")
    page.fill("#id_hours_start", "00:00")
    page.fill("#id_hours_end", "00:00")
    steps = page.locator("[data-testid=script-step]")
    steps.nth(0).locator("[data-testid=step-text]").fill("您好，我是中国移动客服。")
    page.click("[data-testid=script-add]")
    steps.nth(1).locator("[data-testid=step-text]").fill("我们为您准备了专属优惠。")
    steps.nth(1).locator("[data-testid=step-question]").fill("您是否愿意继续使用？")
    page.click("[data-testid=campaign-save]")

    csv = tmp_path / "targets.csv"
    csv.write_text("号码,姓名,备注\n13900000002,刘挽留,离网倾向\n12345,坏号码,\n", encoding="utf-8")
    page.set_input_files("#id_file", str(csv))
    page.click("[data-testid=import-submit]")
    progress = page.locator("[data-testid=import-progress]")
    expect(progress).to_be_visible()
    asgi_server.run_sync(_work)
    expect(progress).to_have_attribute("data-state", "done")
    expect(page.locator("[data-testid=import-accepted]")).to_have_text("1")
    expect(page.locator("[data-testid=import-rejected]")).to_have_text("1")
    with page.expect_download() as download:
        page.click("[data-testid=import-report]")
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert "12345" in report and "不是电话号码" in report and "13900000002" not in report
    page.click("[data-testid=import-back]")
    page.click("[data-testid=campaign-start]")
    expect(page.locator("h1 [data-testid=campaign-state]")).to_have_attribute("data-state", "running")

    desk = ctx.new_page()
    ctx.clear_cookies()
    login(desk, "AG1")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8001")
    desk.click("[data-testid=btn-login]")
    desk.click("[data-testid=btn-ready]")
    assert asgi_server.run_sync(_work) == 1
    offer = desk.locator("[data-testid=offer]")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("外呼预览")
    preview = offer.locator("[data-testid=callback-preview]")
    expect(preview.locator("[data-testid=preview-number]")).to_have_text("13900000002")
    expect(preview.locator("[data-testid=preview-reason]")).to_have_text("五月挽留 · 挽留")
    expect(preview.locator("[data-testid=preview-script]")).to_contain_text("您是否愿意继续使用？")
    expect(offer.locator("[data-testid=pop-name]")).to_have_text("刘挽留")
    offer.locator("[data-testid=btn-accept]").click()
    card = desk.locator("[data-testid=contact]")
    expect(card.locator("[data-testid=contact-state]")).to_have_attribute("data-state", "dialling")
    assert asgi_server.run_sync(_switch_places_the_call) == 1
    expect(card.locator("[data-testid=contact-state]")).to_have_attribute("data-state", "connected")
    expect(desk.locator("[data-testid=queue-script]")).to_contain_text("我们为您准备了专属优惠。")
    card.locator("[data-testid=btn-end]").click()
    wrap = desk.locator("[data-testid=wrapup]")
    expect(wrap).to_be_visible()
    desk.select_option("[data-testid=disposition]", "success")
    desk.fill("[data-testid=wrapup-notes]", "同意续约")
    desk.click("[data-testid=btn-wrapup]")
    expect(wrap).to_be_hidden()

    ctx.clear_cookies()
    login(page, "CM1")
    page.goto("/campaigns/")
    page.locator("[data-testid=campaign-row] a").first.click()
    expect(page.locator("[data-testid=target-outcome]").first).to_have_text("成功 / 已转化")
    page.click("[data-testid=tab-dashboard]")
    expect(page.locator("[data-testid=dash-reached]")).to_have_text("1")
    expect(page.locator("[data-testid=dash-success]")).to_have_text("1")
    expect(page.locator("[data-testid=dash-success-rate]")).to_have_text("100.0%")
    expect(page.locator("[data-testid=agent-row]")).to_contain_text("话务员一 (AG1)")
    expect(page.locator("[data-testid=chart-agents]")).to_have_attribute("data-ready", "1")
    ctx.close()
