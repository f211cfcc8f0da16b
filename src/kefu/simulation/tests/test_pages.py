"""The pages answer, draw their charts' data and start runs."""

from kefu.core.testing import client_for
from kefu.simulation.models import SimulationRun
from kefu.simulation.services.runs import runs_pending


def test_the_staffing_page_plans_a_day_and_a_single_load(staff_factory):
    c = client_for(staff_factory("simulation.staffing.view"))
    r = c.get(
        "/simulation/staffing/",
        {
            "days": 7,
            "interval": 60,
            "target": "sl",
            "percent": 80,
            "seconds": 20,
            "shrinkage": 30,
            "calls_per_hour": 720,
            "aht": 240,
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-testid="staffing-table"' in body and 'id="staffing-data"' in body
    assert 'data-testid="single-agents">' in body


def test_a_bad_staffing_form_shows_its_errors(staff_factory):
    c = client_for(staff_factory("simulation.staffing.view"))
    r = c.get(
        "/simulation/staffing/",
        {"days": 0, "interval": 30, "target": "sl", "percent": 80, "seconds": 20, "shrinkage": 30},
    )
    assert r.status_code == 200 and 'data-testid="staffing-table"' not in r.content.decode()


def test_a_run_is_started_from_the_page_and_shows_progress_then_results(staff_factory, small_scenario):
    import json

    c = client_for(staff_factory("simulation"))
    assert c.get("/simulation/runs/new/").status_code == 200
    r = c.post("/simulation/runs/new/", {"name": "页面", "scenario": json.dumps(small_scenario)})
    assert r.status_code == 302
    run = SimulationRun.objects.get()
    partial = c.get(f"/simulation/runs/{run.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    runs_pending()
    page = c.get(f"/simulation/runs/{run.pk}/").content.decode()
    assert 'data-testid="run-totals"' in page and 'id="run-data"' in page
    assert "页面" in c.get("/simulation/runs/").content.decode()


def test_a_bad_scenario_stays_on_the_form(staff_factory):
    c = client_for(staff_factory("simulation"))
    r = c.post("/simulation/runs/new/", {"name": "x", "scenario": '{"arrivals": []}'})
    assert r.status_code == 200 and not SimulationRun.objects.exists()


def test_a_staffing_plan_is_played_by_a_prefilled_simulation(staff_factory):
    import json

    from kefu.simulation.engine.model import Scenario

    c = client_for(staff_factory("simulation"))
    query = {
        "days": 7,
        "interval": 15,
        "target": "sl",
        "percent": 80,
        "seconds": 20,
        "shrinkage": 30,
        "patience": 60,
    }
    assert 'data-testid="staffing-simulate"' in c.get("/simulation/staffing/", query).content.decode()
    page = c.get("/simulation/runs/new/", query)
    scenario = json.loads(page.context["form"]["scenario"].value())
    sc = Scenario.from_dict(scenario)
    assert len(sc.arrivals) == 96 and sc.patience == 60 and sc.interval_seconds == 900
