"""Staffing and simulation in the browser: a planner calculates a day's staffing with its chart, then starts a
simulation run, follows its progress bar while the worker plays it, and reads its indicators and chart."""

import json

from playwright.sync_api import expect

from kefu.core.testing import make_org, make_staff

from .conftest import login

SMALL = {
    "interval_seconds": 1800,
    "arrivals": [40, 80],
    "agents": [{"count": 3}],
    "handle": {"kind": "exponential", "mean": 120},
    "patience": 90,
    "seed": 2,
}



def _center():
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    make_staff(org=province, perms=["simulation"], employee_no="PL1", name="计划员")


def _play():
    from kefu.simulation.jobs import simulation_runs

    return simulation_runs()


def test_calculate_staffing_then_simulate_a_day(browser, asgi_server):
    asgi_server.run_sync(_center)
    ctx = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=asgi_server.url
    )
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    login(page, "PL1")
    page.goto("/simulation/staffing/")
    page.fill("#id_calls_per_hour", "720")
    page.fill("#id_aht", "240")
    page.fill("#id_seconds", "15")
    page.fill("#id_shrinkage", "0")
    page.click("[data-testid=staffing-submit]")
    expect(page.locator("[data-testid=single-agents]")).to_have_text("55")
    expect(page.locator("[data-testid=staffing-row]")).to_have_count(48)
    expect(page.locator("[data-testid=chart-staffing]")).to_have_attribute("data-ready", "1")

    page.goto("/simulation/runs/")
    page.click("[data-testid=run-new]")
    page.fill("#id_name", "小规模试算")
    page.fill("#id_scenario", json.dumps(SMALL))
    page.click("[data-testid=run-start]")
    progress = page.locator("[data-testid=run-progress]")
    expect(progress).to_have_attribute("data-state", "queued")
    assert asgi_server.run_sync(_play) == 1
    expect(progress).to_have_attribute("data-state", "done")
    page.click("[data-testid=run-results]")
    expect(page.locator("[data-testid=run-totals]")).to_be_visible()
    expect(page.locator("[data-testid=chart-run]")).to_have_attribute("data-ready", "1")
