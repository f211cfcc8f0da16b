"""Web chat end to end, two browsers (Playwright + Chromium + uvicorn): a customer on their phone and an agent
at the desktop.

The customer opens the 10086 chat page, proves their number with the SMS code (read from the development
SMS gateway once the outlets sent it), and asks for an agent; the chat pops on the agent's desktop, who
accepts it. Both write and each sees the other typing; the agent ends the chat and wraps it up, the
customer's page says the chat ended, and the transcript is on the contact's record.
"""

import re

from playwright.sync_api import expect

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill
from kefu.webchat.models import ChatEntry, ChatVisit

from .conftest import login

DESK = ["contactcenter.desk.use", "contactcenter.contact.view", "crm.customer.view", "workorders.order.view"]



def _center():
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    skill = SkillGroup.objects.create(code="chat", name="在线客服")
    queue = Queue.objects.create(code="CHAT", name="在线客服队列", org=province, channel="chat")
    QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
    agent = make_staff(org=province, perms=DESK, employee_no="CA1", name="在线客服一")
    StaffSkill.objects.create(staff=agent, skill_group=skill, level=5)
    make_customer(org=province, name="陈客户", brand="gotone", number="13900000001")
    ChatEntry.objects.create(hotline="10086", name="中国移动在线客服", org=province, queue=queue,
                             welcome="您好，欢迎使用在线客服。")
    _sms_outlet()


def _sms_outlet():
    """The SMS outlet with the development gateway (an earlier browser test may have emptied the tables)."""
    from kefu.outlets.services.config import outlets_ensure_defaults

    outlets_ensure_defaults()


def _recorded_code(mobile: str) -> str:
    from kefu.outlets.selectors import recorded_sms
    from kefu.outlets.services.sending import messages_dispatch

    messages_dispatch(worker="test")  # what the worker does every few seconds
    [sms] = recorded_sms(recipient=mobile, limit=1)
    return re.search(r"\b(\d{6})\b", sms.text).group(1)


def _browser(browser, server, **kw):
    ctx = browser.new_context(locale="zh-CN", base_url=server.url, **kw)
    ctx.set_default_timeout(10_000)
    return ctx, ctx.new_page()


def test_customer_and_agent_chat_live_and_the_transcript_is_on_the_contact(browser, asgi_server):
    asgi_server.run_sync(_center)
    desk_ctx, desk = _browser(browser, asgi_server, viewport={"width": 1366, "height": 768})
    phone_ctx, phone = _browser(browser, asgi_server, viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)

    login(desk, "CA1")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8001")
    desk.click("[data-testid=btn-login]")
    state = desk.locator("[data-testid=agent-state]")
    expect(state).to_have_attribute("data-state", "not_ready")
    desk.click("[data-testid=btn-ready]")
    expect(state).to_have_attribute("data-state", "ready")

    # The customer identifies with the SMS code.
    phone.goto("/chat/10086/")
    expect(phone.locator("h1")).to_contain_text("中国移动在线客服")
    phone.fill("[data-testid=mobile]", "13900000001")
    phone.click("[data-testid=btn-send-code]")
    expect(phone.locator("[data-testid=chat-status]")).to_have_text("验证码已通过短信发送。")
    phone.fill("[data-testid=code]", asgi_server.run_sync(_recorded_code, "13900000001"))
    phone.click("[data-testid=btn-verify]")
    expect(phone.locator("[data-testid=identified-as]")).to_contain_text("139****0001")
    expect(phone.locator("[data-testid=guest-note]")).to_be_hidden()
    phone.click("[data-testid=btn-start]")
    expect(phone.locator("[data-testid=chat-status]")).to_have_text("正在为您接入客服代表…")
    expect(phone.locator("[data-testid=line][data-sender=system]")).to_have_text(re.compile("欢迎使用在线客服"))

    # The chat pops at the agent, who accepts it.
    offer = desk.locator("[data-testid=offer]")
    expect(offer).to_be_visible()
    expect(offer.locator("[data-testid=pop-name]")).to_have_text("陈客户")
    desk.click("[data-testid=btn-accept]")
    card = desk.locator("[data-testid=contact]")
    panel = card.locator("[data-testid=chat-panel]")
    expect(panel).to_be_visible()
    expect(card.locator("[data-testid=btn-hold]")).to_be_hidden()
    expect(phone.locator("[data-testid=chat-status]")).to_have_text("客服代表正在为您服务。")

    # Lines and typing both ways.
    phone.locator("[data-testid=chat-input]").press_sequentially("我的流量")
    expect(panel.locator("[data-testid=customer-typing]")).to_be_visible()
    phone.locator("[data-testid=chat-input]").press_sequentially("怎么用得这么快？")
    phone.click("[data-testid=btn-chat-send]")
    expect(panel.locator("[data-testid=chat-line][data-sender=customer]")).to_have_text(re.compile("我的流量怎么用得这么快？"))
    expect(panel.locator("[data-testid=customer-typing]")).to_be_hidden()

    panel.locator("[data-testid=agent-chat-input]").press_sequentially("您好")
    expect(phone.locator("[data-testid=agent-typing]")).to_be_visible()
    panel.locator("[data-testid=agent-chat-input]").press_sequentially("，我帮您查一下本月的流量明细。")
    panel.locator("[data-testid=agent-chat-input]").press("Enter")
    expect(phone.locator("[data-testid=line][data-sender=agent]")).to_have_text(re.compile("我帮您查一下本月的流量明细"))
    expect(panel.locator("[data-testid=chat-line][data-sender=agent]")).to_have_count(1)

    # The agent ends and wraps up; the customer's page says the chat ended.
    contact_id = int(card.get_attribute("data-contact-id"))
    card.locator("[data-testid=btn-end]").click()
    wrap = desk.locator("[data-testid=wrapup]")
    expect(wrap).to_be_visible()
    expect(phone.locator("[data-testid=done]")).to_contain_text("对话已结束")
    expect(phone.locator("[data-testid=composer]")).to_be_hidden()
    desk.select_option("[data-testid=disposition]", "solved")
    desk.click("[data-testid=btn-wrapup]")
    expect(wrap).to_be_hidden()
    expect(state).to_have_attribute("data-state", "ready")

    # The transcript is on the contact's record.
    desk.goto(f"/contactcenter/contacts/{contact_id}/")
    transcript = desk.locator("[data-testid=transcript]")
    expect(transcript.locator("[data-testid=transcript-line]")).to_have_count(3)
    expect(transcript).to_contain_text("我的流量怎么用得这么快？")
    expect(transcript).to_contain_text("我帮您查一下本月的流量明细")
    expect(desk.locator("[data-testid=contact-disposition]")).to_have_text("已解决")
    assert asgi_server.run_sync(lambda: ChatVisit.objects.get(contact_id=contact_id).mobile) == "13900000001"
    phone_ctx.close()
    desk_ctx.close()


def _closed_center():
    _center()
    Queue.objects.filter(code="CHAT").update(opening_hours={str(d): ["00:00", "00:00"] for d in range(1, 8)})
    org = ChatEntry.objects.get().org
    Queue.objects.create(code="CHAT2", name="在线客服二线", org=org, channel="chat")
    make_staff(org=org, perms=["contactcenter.supervise.view", "contactcenter.contact.view",
                                                       "webchat.entry.view", "webchat.entry.edit"],
               employee_no="SUP1", name="值班长", position="supervisor")


def test_a_message_left_when_closed_is_followed_up_and_a_chat_entry_is_set_up(browser, asgi_server):
    asgi_server.run_sync(_closed_center)
    phone_ctx, phone = _browser(browser, asgi_server, viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    phone.goto("/chat/10086/")
    phone.fill("[data-testid=mobile]", "13700000008")
    phone.click("[data-testid=btn-send-code]")
    expect(phone.locator("[data-testid=chat-status]")).to_have_text("验证码已通过短信发送。")
    phone.fill("[data-testid=code]", asgi_server.run_sync(_recorded_code, "13700000008"))
    phone.click("[data-testid=btn-verify]")
    expect(phone.locator("[data-testid=guest-note]")).to_be_visible()
    expect(phone.locator("[data-testid=btn-start]")).to_be_hidden()
    phone.fill("[data-testid=leave-text]", "宽带断了，请明天上午回电")
    phone.click("[data-testid=btn-leave]")
    expect(phone.locator("[data-testid=done]")).to_contain_text("留言已提交")

    sup_ctx, sup = _browser(browser, asgi_server, viewport={"width": 1366, "height": 768})
    login(sup, "SUP1")
    sup.goto("/webchat/left-messages/")
    row = sup.locator("[data-testid=left-message]")
    expect(row).to_contain_text("宽带断了，请明天上午回电")
    expect(row).to_contain_text("未识别访客")
    row.locator("[data-testid=follow-up-note]").fill("已回电，预约上门")
    row.locator("[data-testid=btn-follow-up]").click()
    expect(sup.locator("[data-testid=no-left-messages]")).to_be_visible()
    sup.goto("/webchat/left-messages/?all=1")
    expect(sup.locator("[data-testid=followed-up]")).to_contain_text("已回电，预约上门")

    sup.goto("/webchat/entries/")
    form = sup.locator("[data-testid=entry-form]")
    form.locator("[name=hotline]").fill("10010")
    form.locator("[name=name]").fill("二线在线客服")
    form.locator("[name=queue]").select_option(label="在线客服二线 (CHAT2)")
    form.locator("[data-testid=entry-save]").click()
    expect(sup.locator("h1")).to_contain_text("二线在线客服 · 10010")
    sup.goto("/webchat/entries/")
    expect(sup.locator("[data-testid=entry-row]")).to_have_count(2)
    phone.goto("/chat/10010/")
    expect(phone.locator("h1")).to_contain_text("二线在线客服")
    phone_ctx.close()
    sup_ctx.close()
