"""An SMS on the agent desktop (Playwright + Chromium + uvicorn): a customer writes by SMS, the contact is
offered to an agent, who reads the text on the contact's card and answers by SMS; the answer's status shows."""

from playwright.sync_api import expect

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.contactcenter.services.router import route
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill
from kefu.outlets.models import Message, RecordedSms

from .conftest import login

DESK = ["contactcenter.desk.use", "crm.customer.view", "workorders.order.view", "outlets.message.send"]



def _center():
    from kefu.outlets.services.config import outlets_ensure_defaults

    outlets_ensure_defaults()  # an earlier browser test may have emptied the tables
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    general = SkillGroup.objects.create(code="general", name="普通话综合")
    queue = Queue.objects.create(code="GEN", name="综合队列", org=province)
    QueueSkill.objects.create(queue=queue, skill_group=general, min_level=1)
    agent = make_staff(org=province, perms=DESK, employee_no="AG1", name="话务员一")
    StaffSkill.objects.create(staff=agent, skill_group=general, level=5)
    make_customer(org=province, name="刘普通", number="13900000002")


def _customer_writes():
    from kefu.outlets.models import Outlet
    from kefu.outlets.services.inbound import sms_inbound_receive

    sms_inbound_receive(outlet=Outlet.objects.get(code="sms"), gateway_id="in-e2e", sender="13900000002",
                        recipient="10086", text="我的宽带断了，什么时候能修好？")


def _dispatch():
    from kefu.outlets.services.sending import messages_dispatch

    return messages_dispatch(worker="e2e").sent


def test_an_sms_contact_is_answered_by_sms_from_the_desk(browser, asgi_server):
    asgi_server.run_sync(_center)
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=asgi_server.url)
    ctx.set_default_timeout(10_000)
    desk = ctx.new_page()
    login(desk, "AG1")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8001")
    desk.click("[data-testid=btn-login]")
    desk.click("[data-testid=btn-ready]")
    expect(desk.locator("[data-testid=agent-state]")).to_have_attribute("data-state", "ready")

    asgi_server.run_sync(_customer_writes)
    asgi_server.run_sync(route)
    offer = desk.locator("[data-testid=offer]")
    expect(offer).to_be_visible()
    offer.locator("[data-testid=btn-accept]").click()
    panel = desk.locator("[data-testid=contact] [data-testid=sms-panel]")
    expect(panel).to_be_visible()
    lines = panel.locator("[data-testid=sms-line]")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text("我的宽带断了")

    panel.locator("[data-testid=sms-reply-input]").fill("您好，维修人员今天下午上门。")
    expect(panel.locator("[data-testid=sms-count]")).to_have_text("14/1000")
    panel.locator("[data-testid=btn-sms-reply]").click()
    expect(lines).to_have_count(2)
    answer = lines.nth(1)
    expect(answer).to_have_attribute("data-direction", "out")
    expect(answer.locator("[data-testid=sms-status]")).to_have_attribute("data-status", "queued")
    expect(panel.locator("[data-testid=sms-reply-input]")).to_have_value("")
    assert asgi_server.run_sync(_dispatch) == 1
    expect(answer.locator("[data-testid=sms-status]")).to_have_attribute("data-status", "delivered")  # re-read
    assert asgi_server.run_sync(lambda: RecordedSms.objects.get().recipient) == "13900000002"
    assert asgi_server.run_sync(lambda: Message.objects.filter(purpose="reply").count()) == 1
    ctx.close()
