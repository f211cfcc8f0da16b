"""The agent desktop and the supervisor view, live over WebSocket (Playwright + Chromium + uvicorn).

An agent logs in at a seat and goes ready; a VIP call arrives as the CTI
adapter would create it (arrive, join the VIP queue, route); the offer pops
with the customer's name and VIP badge; the agent answers, opens a complaint
from the call, ends and wraps up. In a second browser the supervisor watches
the agent go ready → ringing → busy → wrap-up → ready.
"""

import json

from playwright.sync_api import expect

from kefu.contactcenter.models import Contact, Queue, QueueSkill
from kefu.contactcenter.services.router import route
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill
from kefu.workorders.models import WorkOrder

from .conftest import login

DESK = ["contactcenter.desk.use", "crm.customer.view", "workorders.order.view", "workorders.order.create",
        "workorders.order.handle", "knowledge.article.view", "knowledge.case.view"]



def _center():
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    vip_skill = SkillGroup.objects.create(code="vip", name="大客户服务")
    q_vip = Queue.objects.create(code="VIP", name="大客户队列", org=province,
                                 script="您好，尊敬的大客户，我是客服代表，请问有什么可以帮您？")
    QueueSkill.objects.create(queue=q_vip, skill_group=vip_skill, min_level=5)
    agent = make_staff(org=province, perms=DESK, employee_no="AG2", name="话务员二")
    StaffSkill.objects.create(staff=agent, skill_group=vip_skill, level=8)
    make_staff(org=province, perms=["contactcenter.supervise"], employee_no="SUP1", name="值班长",
               position="supervisor")
    vip = make_customer(org=province, name="陈大客户", tier="vip", brand="gotone", number="13900000001")
    return q_vip, vip


def _vip_call(queue):
    """The simulated switch sends a VIP call to 10086; the caller presses 9 for the VIP desk."""
    from kefu.contactcenter.models import Contact
    from kefu.contactcenter.simswitch.switch import place_call
    from kefu.contactcenter.simswitch.transport import InProcessTransport
    from kefu.ivr.services.flows import ivr_seed

    ivr_seed()
    call_id, commands = place_call(InProcessTransport(), caller="13900000001", keys=["9"])
    assert commands[-1]["type"] == "queue" and commands[-1]["queue"] == queue.code
    route()  # usually done already by route_soon on commit; a second call finds nothing to do
    return Contact.objects.get(external_id=call_id).pk


def _browser(browser, server):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=server.url)
    ctx.set_default_timeout(10_000)
    return ctx, ctx.new_page()


def test_vip_call_pops_is_answered_turned_into_a_complaint_and_wrapped_up(browser, asgi_server):
    q_vip, vip = _center()
    sup_ctx, sup = _browser(browser, asgi_server)
    desk_ctx, desk = _browser(browser, asgi_server)

    login(sup, "SUP1")
    sup.goto("/contactcenter/supervisor/")
    expect(sup.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")

    login(desk, "AG2")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8002")
    desk.click("[data-testid=btn-login]")
    state = desk.locator("[data-testid=agent-state]")
    expect(state).to_have_attribute("data-state", "not_ready")
    desk.click("[data-testid=btn-ready]")
    expect(state).to_have_attribute("data-state", "ready")

    sv_state = sup.locator("[data-testid=sv-agent-AG2] [data-testid=sv-agent-state]")
    expect(sv_state).to_have_attribute("data-state", "ready")
    expect(sv_state).to_have_text("就绪")

    contact_id = asgi_server.run_sync(_vip_call, q_vip)

    offer = desk.locator("[data-testid=offer]")
    expect(offer).to_be_visible()
    expect(offer.locator("[data-testid=pop-name]")).to_have_text("陈大客户")
    expect(offer.locator("[data-testid=pop-tier]")).to_have_text("VIP")
    expect(offer.locator("[data-testid=offer-countdown]")).to_contain_text("秒")
    expect(desk.locator("[data-testid=queue-script]")).to_contain_text("尊敬的大客户")
    expect(sv_state).to_have_attribute("data-state", "offered")
    expect(sup.locator("[data-testid=sv-agent-AG2]")).to_contain_text("陈大客户")
    expect(sup.locator("[data-testid=sv-queue]").filter(has_text="VIP")
           .locator("[data-testid=sv-queue-waiting]")).to_have_text("1")

    desk.click("[data-testid=btn-accept]")
    card = desk.locator("[data-testid=contact]")
    expect(card).to_be_visible()
    expect(offer).to_be_hidden()
    expect(state).to_have_attribute("data-state", "busy")
    expect(card.locator("[data-testid=pop-name]")).to_have_text("陈大客户")
    expect(sv_state).to_have_attribute("data-state", "busy")

    with desk_ctx.expect_page() as opened:
        desk.click("[data-testid=btn-create-order]")
    order_page = opened.value
    order_page.wait_for_selector("[data-testid=create-form]")
    order_page.fill("[name=title]", "套餐资费多扣")
    order_page.fill("[name=description]", "客户来电反映本月多扣50元")
    order_page.select_option("[name=f_complainant_type]", "vip")
    order_page.select_option("[name=f_category]", "tariff")
    order_page.select_option("[name=f_level]", "general")
    order_page.select_option("[name=f_source]", "customer")
    with order_page.expect_navigation():
        order_page.click("[data-testid=create-submit]")
    serial = order_page.inner_text("[data-testid=serial]")
    order_page.close()
    desk.bring_to_front()

    desk.click("[data-testid=btn-end]")
    wrap = desk.locator("[data-testid=wrapup]")
    expect(wrap).to_be_visible()
    expect(card).to_have_count(0)
    expect(state).to_have_attribute("data-state", "wrap_up")
    expect(wrap.locator("[data-testid=linked-order]")).to_have_text(serial)
    expect(wrap.locator("[data-testid=disposition]")).to_have_value("work_order")
    expect(sv_state).to_have_attribute("data-state", "wrap_up")

    desk.fill("[data-testid=wrapup-notes]", "已建投诉工单，48小时内回复")
    desk.click("[data-testid=btn-wrapup]")
    expect(wrap).to_be_hidden()
    expect(state).to_have_attribute("data-state", "ready")
    expect(desk.locator("[data-testid=today-handled]")).to_have_text("1")
    expect(sv_state).to_have_attribute("data-state", "ready")

    sup.once("dialog", lambda d: d.accept())  # the supervisor takes the agent off the line
    sup.click("[data-testid=sv-agent-AG2] [data-testid=sv-force-not-ready]")
    expect(sv_state).to_have_attribute("data-state", "not_ready")
    expect(state).to_have_attribute("data-state", "not_ready")
    expect(desk.locator("[data-testid=agent-reason]")).to_have_text("班长置忙")

    contact = Contact.objects.get(pk=contact_id)
    assert contact.disposition == "work_order" and contact.notes.startswith("已建投诉工单")
    order = WorkOrder.objects.get(serial=serial)
    assert order.origin_contact == str(contact_id) and order.customer == vip and order.kind == "complaint"
    sup_ctx.close()
    desk_ctx.close()


def test_a_reloaded_desk_shows_the_ringing_offer_again_and_the_side_tools_work(browser, asgi_server):
    q_vip, _vip = _center()
    ctx, desk = _browser(browser, asgi_server)
    login(desk, "AG2")
    desk.goto("/contactcenter/desk/")
    desk.fill("[data-testid=extension]", "8002")
    desk.click("[data-testid=btn-login]")
    desk.click("[data-testid=btn-ready]")
    expect(desk.locator("[data-testid=agent-state]")).to_have_attribute("data-state", "ready")
    asgi_server.run_sync(_vip_call, q_vip)
    expect(desk.locator("[data-testid=offer]")).to_be_visible()
    desk.reload()
    expect(desk.locator("[data-testid=offer] [data-testid=pop-name]")).to_have_text("陈大客户")
    desk.click("[data-testid=btn-reject]")
    expect(desk.locator("[data-testid=offer]")).to_be_hidden()
    expect(desk.locator("[data-testid=agent-state]")).to_have_attribute("data-state", "ready")

    desk.fill("[data-testid=kb-q]", "国际漫游")  # the knowledge box answers in place
    desk.click("[data-testid=kb-search]")
    expect(desk.locator("[data-testid=kb-results] [data-testid=kb-compact]")).to_contain_text("国际漫游")
    desk.select_option("[data-testid=reason]", "meal")
    desk.click("[data-testid=btn-not-ready]")
    expect(desk.locator("[data-testid=agent-reason]")).to_have_text("用餐")
    desk.once("dialog", lambda d: d.accept())
    desk.click("[data-testid=btn-agent-logout]")
    expect(desk.locator("[data-testid=desk-login]")).to_be_visible()
    ctx.close()


class _AgentSocket:
    """The desktop's /ws/agent/ through Playwright: pushes from the server can be dropped, the socket cut."""

    def __init__(self, page):
        self.down = False      # new sockets are closed at once, as behind a broken proxy
        self.drop = False      # the server's messages never reach the page, the socket stays up
        self.dropped: list[dict] = []
        self.current = None
        page.route_web_socket("**/ws/agent/", self._route)

    def _route(self, ws):
        if self.down:
            ws.close()
            return
        self.current = ws
        server = ws.connect_to_server()

        def from_server(message):
            if self.drop:
                self.dropped.append(json.loads(message))
            else:
                ws.send(message)

        server.on_message(from_server)

    def cut(self):
        self.down = True
        if self.current is not None:
            self.current.close()


def _ready_desk(browser, server):
    ctx, desk = _browser(browser, server)
    sock = _AgentSocket(desk)
    login(desk, "AG2")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8002")
    desk.click("[data-testid=btn-login]")
    desk.click("[data-testid=btn-ready]")
    expect(desk.locator("[data-testid=agent-state]")).to_have_attribute("data-state", "ready")
    return ctx, desk, sock


def test_an_offer_made_while_the_desks_socket_is_down_appears_when_it_reconnects(browser, asgi_server, settings):
    settings.KEFU_DESK_RESYNC_SECONDS = 60  # the reconnect repairs it, not the heartbeat
    q_vip, _vip = _center()
    ctx, desk, sock = _ready_desk(browser, asgi_server)
    sock.cut()
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "0")
    asgi_server.run_sync(_vip_call, q_vip)
    sock.down = False
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1", timeout=20_000)
    expect(desk.locator("[data-testid=offer] [data-testid=pop-name]")).to_have_text("陈大客户")
    expect(desk.locator("[data-testid=agent-state]")).to_have_attribute("data-state", "offered")
    ctx.close()


def test_an_offer_whose_push_was_lost_on_an_open_socket_appears_on_the_next_heartbeat(browser, asgi_server,
                                                                                        settings):
    settings.KEFU_DESK_RESYNC_SECONDS = 2
    q_vip, _vip = _center()
    ctx, desk, sock = _ready_desk(browser, asgi_server)
    sock.drop = True
    asgi_server.run_sync(_vip_call, q_vip)
    expect(desk.locator("[data-testid=offer] [data-testid=pop-name]")).to_have_text("陈大客户")
    assert any(e.get("type") == "offer" for e in sock.dropped)  # the page never heard the push
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    ctx.close()


def _force_not_ready():
    from kefu.contactcenter.models import AgentSession
    from kefu.contactcenter.services.agents import agent_force
    from kefu.iam.models import Staff

    session = AgentSession.objects.get(staff__employee_no="AG2", logged_out_at__isnull=True)
    agent_force(actor=Staff.objects.get(employee_no="SUP1"), session=session, action="not_ready")


def test_the_desk_fetches_again_only_for_changes_it_has_not_drawn(browser, asgi_server):
    """Its own action's state change comes back in the answer: the pushed event for it needs no fetch.
    A change made elsewhere (a supervisor) is fetched, once."""
    _center()
    ctx, desk = _browser(browser, asgi_server)
    login(desk, "AG2")
    desk.goto("/contactcenter/desk/")
    expect(desk.locator("[data-testid=ws-status]")).to_have_attribute("data-connected", "1")
    desk.fill("[data-testid=extension]", "8002")
    desk.click("[data-testid=btn-login]")
    state = desk.locator("[data-testid=agent-state]")
    expect(state).to_have_attribute("data-state", "not_ready")
    desk.wait_for_timeout(300)  # the login's own events have come and gone
    fetches = []
    desk.on("request", lambda r: fetches.append(r.url) if r.method == "GET" and r.url.endswith("/agent/me") else None)

    desk.click("[data-testid=btn-ready]")
    expect(state).to_have_attribute("data-state", "ready")
    desk.wait_for_timeout(500)  # the agent.state event of that change has arrived
    assert fetches == []

    asgi_server.run_sync(_force_not_ready)
    expect(state).to_have_attribute("data-state", "not_ready")
    expect(desk.locator("[data-testid=agent-reason]")).to_have_text("班长置忙")
    desk.wait_for_timeout(300)
    assert len(fetches) == 1
    ctx.close()
