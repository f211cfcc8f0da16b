"""The API speaks Erlang answers and runs: end-to-end scenarios named as sentences."""

from kefu.core.testing import JsonClient, client_for
from kefu.simulation.services.runs import runs_pending
from kefu.simulation.tests.conftest import SMALL


def test_a_planner_asks_the_agents_for_a_load(staff_factory):
    api = JsonClient(client_for(staff_factory("simulation.staffing.view")))
    r = api.get(
        "/api/simulation/staffing/agents?calls_per_hour=720&aht=240&seconds=15&percent=80&shrinkage=0"
    )
    assert r.status_code == 200, r.content
    assert r.json()["agents"] == 55 and r.json()["rostered"] == 55
    with_patience = api.get(
        "/api/simulation/staffing/agents?calls_per_hour=720&aht=240&seconds=15&patience=60"
    )
    assert with_patience.json()["agents"] <= 55 and with_patience.json()["abandon"] > 0


def test_a_bad_target_is_a_400_in_the_error_format(staff_factory):
    api = JsonClient(client_for(staff_factory("simulation.staffing.view")))
    r = api.get("/api/simulation/staffing/agents?calls_per_hour=-1&aht=240")
    assert r.status_code == 400 and "code" in r.json()
    r = api.get("/api/simulation/staffing/plan?interval=7")
    assert r.status_code == 400


def test_a_forecast_day_has_one_row_per_interval(staff_factory):
    api = JsonClient(client_for(staff_factory("simulation.staffing.view")))
    r = api.get("/api/simulation/staffing/plan?days=7&interval=60")
    assert r.status_code == 200 and len(r.json()) == 24


def test_a_run_is_started_followed_and_read(staff_factory):
    api = JsonClient(client_for(staff_factory("simulation")))
    r = api.post("/api/simulation/runs", {"name": "试算", "scenario": SMALL})
    assert r.status_code == 202, r.content
    run_id = r.json()["id"]
    assert r.json()["state"] == "queued"
    runs_pending()
    done = api.get(f"/api/simulation/runs/{run_id}").json()
    assert done["state"] == "done" and done["result"]["total"]["calls"] > 0
    assert api.get("/api/simulation/runs").json()["items"][0]["id"] == run_id


def test_a_wrong_scenario_is_a_400_naming_the_field(staff_factory):
    api = JsonClient(client_for(staff_factory("simulation")))
    r = api.post("/api/simulation/runs", {"scenario": {**SMALL, "agents": "many"}})
    assert r.status_code == 400 and r.json()["code"] == "invalid_scenario" and "agents" in r.json()["message"]
