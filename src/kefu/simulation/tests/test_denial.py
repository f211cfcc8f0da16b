"""Every staffing and simulation door denies the anonymous and the unpermitted caller (see core/testing.py).

Runs belong to their owner's organisation: another branch's run answers like one that does not exist.
"""

import pytest

from kefu.contactcenter.models import Queue
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.simulation.services.runs import run_create
from kefu.simulation.tests.conftest import SMALL


def _build():
    w = denial_orgs()
    for key, org in (("run", w["city"]), ("other_run", w["other_city"])):
        owner = make_staff(org=org, perms=("simulation",))
        w[key] = run_create(actor=owner, name=key, scenario=dict(SMALL))
    w["queue"] = Queue.objects.create(code="GZQ", name="广州", org=w["city"])
    w["other_queue"] = Queue.objects.create(code="SZQ", name="深圳", org=w["other_city"])
    return w


world = denial_world(_build)

VIEW, RUN_VIEW, RUN_CREATE = "simulation.staffing.view", "simulation.run.view", "simulation.run.create"
LOAD = "?calls_per_hour=360&aht=180"

API = [
    door("get", "/api/simulation/staffing/agents" + LOAD, VIEW),
    door("get", "/api/simulation/staffing/plan?days=7&queue={queue}", VIEW, outside={"queue": "other_queue"}),
    door("get", "/api/simulation/runs", RUN_VIEW),
    door("get", "/api/simulation/runs/{run}", RUN_VIEW, outside={"run": "other_run"}),
    door("post", "/api/simulation/runs", RUN_CREATE, body={"name": "t", "scenario": SMALL}, status=(202,)),
]

UI = [
    door("get", "/simulation/staffing/", VIEW),
    door("get", "/simulation/runs/", RUN_VIEW),
    door("get", "/simulation/runs/new/", RUN_CREATE),
    door("get", "/simulation/runs/{run}/", RUN_VIEW, outside={"run": "other_run"}),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
