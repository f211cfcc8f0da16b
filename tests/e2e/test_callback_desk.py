"""A callback on the agent desktop and the supervisor's callback list (Playwright + Chromium + uvicorn).

A caller of GEN waited past the queue's maximum wait and was promised a callback. The agent goes ready;
the callback rings as a preview (the number, why, which attempt); the agent accepts, the desk shows
"dialling…"; the simulated switch places the call, the customer answers and the leg is bridged: the
desk shows the call connected; the agent ends and wraps up. The supervisor sees the callback done.
"""

from playwright.sync_api import expect

from kefu.contactcenter.models import Callback, Queue, QueueSkill
from kefu.contactcenter.services.router import route
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill

from .conftest import login

DESK = ["contactcenter.desk.use", "crm.customer.view", "workorders.order.view"]



def _center():
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    general = SkillGroup.objects.create(code="general", name="普通话综合")
    queue = Queue.objects.create(code="GEN", name="综合队列", org=province, max_wait_seconds=20)
    QueueSkill.objects.create(queue=queue, skill_group=general, min_level=1)
    agent = make_staff(org=province, perms=DESK, employee_no="AG1", name="话务员一")
    StaffSkill.objects.create(staff=agent, skill_group=general, level=5)
    make_staff(org=province, perms=["contactcenter.callback.view"], employee_no="SUP1", name="值班长",
               position="supervisor")
    make_customer(org=province, name="刘普通", brand="easyown", number="13900000002")
    return queue


def _caller_waits_too_long(queue):
    from kefu.contactcenter.services import contacts as ct

    waiting = ct.contact_enqueue(contact=ct.contact_arrive(caller="13900000002", called="10086"), queue=queue)
    return ct.callback_request(contact_id=waiting.pk, reason="max_wait").pk


def _switch_places_the_call():
    """The simulated switch polls the dial, the customer's phone rings and is answered at once."""
    from kefu.contactcenter.simswitch import CallerPool, InProcessTransport, OutboundBehaviour, SimSwitch
    from kefu.contactcenter.simswitch.runner import run_simulated

    answers = OutboundBehaviour(busy=0, rejected=0, answer=1, answer_machine=0, ring=(0.0, 0.0), talk=600)
    switch = SimSwitch(InProcessTransport(), rate=0, pool=CallerPool(), outbound=answers, poll_every=0.5)
    run_simulated(switch, seconds=3, step=0.5, jobs=False)
    return switch.stats.dialled


def test_callback_preview_is_accepted_dialled_answered_bridged_and_done(browser, asgi_server):
    queue = _center()
    callback_id = asgi_server.run_sync(_caller_waits_too_long, queue)
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=asgi_server.url)
    ctx.set_default_timeout(10_000)
    desk = ctx.new_page()
    login(desk, "AG1")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8001")
    desk.click("[data-testid=btn-login]")
    desk.click("[data-testid=btn-ready]")
    state = desk.locator("[data-testid=agent-state]")
    asgi_server.run_sync(route)  # done already when the agent went ready (on commit); then it finds nothing
    offer = desk.locator("[data-testid=offer]")
    expect(offer).to_be_visible()
    preview = offer.locator("[data-testid=callback-preview]")
    expect(preview).to_be_visible()
    expect(offer).to_contain_text("回电预览")
    expect(preview.locator("[data-testid=preview-number]")).to_have_text("13900000002")
    expect(preview.locator("[data-testid=preview-reason]")).to_have_text("排队超过最长等待时间")
    expect(preview.locator("[data-testid=preview-attempt]")).to_have_text("第 1/3")
    expect(offer.locator("[data-testid=pop-name]")).to_have_text("刘普通")
    expect(offer.locator("[data-testid=btn-accept]")).to_have_text("呼叫客户", use_inner_text=True)

    offer.locator("[data-testid=btn-accept]").click()
    card = desk.locator("[data-testid=contact]")
    expect(card.locator("[data-testid=contact-state]")).to_have_attribute("data-state", "dialling")
    expect(card.locator("[data-testid=btn-end]")).to_have_text("取消呼叫", use_inner_text=True)
    dial = desk.locator("[data-testid=dial-status]")
    expect(dial.locator("[data-testid=dial-state]")).to_have_text("正在拨号…")
    expect(state).to_have_attribute("data-state", "busy")

    assert asgi_server.run_sync(_switch_places_the_call) == 1
    expect(card.locator("[data-testid=contact-state]")).to_have_attribute("data-state", "connected")
    expect(dial.locator("[data-testid=dial-state]")).to_have_text("已接通")
    expect(card.locator("[data-testid=btn-end]")).to_have_text("结束通话", use_inner_text=True)

    card.locator("[data-testid=btn-end]").click()
    wrap = desk.locator("[data-testid=wrapup]")
    expect(wrap).to_be_visible()
    desk.select_option("[data-testid=disposition]", "solved")
    desk.click("[data-testid=btn-wrapup]")
    expect(wrap).to_be_hidden()
    expect(state).to_have_attribute("data-state", "ready")
    assert Callback.objects.get(pk=callback_id).state == "done"

    sup = ctx.new_page()
    ctx.clear_cookies()
    login(sup, "SUP1")
    sup.goto("/contactcenter/callbacks/")
    row = sup.locator("[data-testid=callback-row]")
    expect(row).to_have_count(1)
    expect(row.locator("[data-testid=callback-state]")).to_have_text("已回电")
    expect(row.locator("[data-testid=callback-outcome]")).to_have_text("已接通")
    row.locator("a").first.click()
    expect(sup.locator("[data-testid=callback-dial]")).to_have_attribute("data-outcome", "answered")
    ctx.close()
