"""Internal messages in the browser, live over WebSocket (Playwright + Chromium + uvicorn).

A supervisor sends a pop-up notice to a team from the compose page. An agent of the team, logged in and on
the home page (not the desktop), sees the pop-up at once, without reloading, and acknowledges it. Another
agent of the team logs in afterwards and meets the pop-up at login. The supervisor's sent page then counts
both read receipts, and the message's receipt list shows both agents as read.
"""

from playwright.sync_api import expect

from kefu.core.testing import make_org, make_staff
from kefu.iam.services.teams import team_create

from .conftest import login


def _browser(browser, server):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=server.url)
    ctx.set_default_timeout(10_000)
    return ctx, ctx.new_page()


def test_a_popup_notice_reaches_the_team_live_and_at_login_and_the_sender_sees_both_receipts(browser, asgi_server):
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    team = team_create(actor="test", name="一班", org=province)
    make_staff(org=province, perms=["messaging.message.send", "messaging.message.broadcast"], employee_no="SUP1",
               name="值班长", position="supervisor")
    make_staff(org=province, perms=["messaging.message.send"], employee_no="AG1", name="话务员一", team=team)
    make_staff(org=province, perms=["messaging.message.send"], employee_no="AG2", name="话务员二", team=team)

    agent_ctx, agent = _browser(browser, asgi_server)
    login(agent, "AG1")
    agent.goto("/")
    expect(agent.locator("#kefu-notify")).to_have_attribute("data-connected", "1")
    expect(agent.locator("[data-testid=notify-popup]")).to_have_count(0)

    sup_ctx, sup = _browser(browser, asgi_server)
    login(sup, "SUP1")
    sup.goto("/messaging/new/")
    sup.select_option("#id_teams", str(team.pk))
    sup.fill("#id_subject", "新服务规范")
    sup.fill("#id_body", "自下周一起执行新的服务规范，请确认已阅读。")
    sup.select_option("#id_display", "popup")
    sup.select_option("#id_priority", "3")
    sup.click("[data-testid=compose-send]")
    expect(sup.locator("[data-testid=message-subject]")).to_contain_text("新服务规范")
    expect(sup.locator("[data-testid=receipt-counts]")).to_contain_text("2")

    # The agent's page was not reloaded: the pop-up arrives over the socket.
    popup = agent.locator("[data-testid=notify-popup]")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("新服务规范")
    expect(popup).to_contain_text("值班长")
    expect(agent.locator("[data-notify-unread]")).to_have_text("1")
    popup.locator("[data-testid=notify-acknowledge]").click()
    expect(popup).to_have_count(0)
    expect(agent.locator("[data-notify-unread]")).to_be_hidden()
    agent.reload()
    expect(agent.locator("#kefu-notify")).to_have_attribute("data-connected", "1")
    expect(agent.locator("[data-testid=notify-popup]")).to_have_count(0)  # acknowledged once is enough

    # The second agent was not logged in when it was sent: the pop-up waits for their login.
    late_ctx, late = _browser(browser, asgi_server)
    login(late, "AG2")
    late_popup = late.locator("[data-testid=notify-popup]")
    expect(late_popup).to_be_visible()
    expect(late_popup).to_contain_text("新服务规范")
    late_popup.locator("[data-testid=notify-acknowledge]").click()
    expect(late_popup).to_have_count(0)

    sup.goto("/messaging/sent/")
    row = sup.locator("[data-testid=sent-row]").first
    expect(row.locator("[data-testid=read-count]")).to_have_text("2")
    expect(row.locator("[data-testid=unread-count]")).to_have_text("0")
    row.locator("a").first.click()
    expect(sup.locator("[data-testid=receipt-row][data-read='1']")).to_have_count(2)
    expect(sup.locator("[data-testid=receipt-row][data-employee=AG1]")).to_be_visible()
    expect(sup.locator("[data-testid=receipt-row][data-employee=AG2]")).to_be_visible()
    for ctx in (agent_ctx, sup_ctx, late_ctx):
        ctx.close()
