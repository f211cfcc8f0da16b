"""Every ivr door denies the anonymous and the unpermitted caller (see core/testing.py).

Flows are one set for the whole center (no branch); a test call belongs to the person who started it,
so another person's test call is answered like one that does not exist.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.ivr.services import testcalls
from kefu.ivr.services.flows import flow_create, ivr_seed


def _build():
    w = denial_orgs()
    w["flow"] = ivr_seed(actor="test")
    w["spare_flow"] = flow_create(actor="test", hotline="12580", name="备用热线")
    make_customer(org=w["city"], name="王伟", number="13900000001")
    someone = make_staff(org=w["city"], perms=["ivr.flow.test"])
    w["other_session"] = testcalls.testcall_start(actor=someone, flow=w["flow"], caller="13900000001")[0]
    return w


world = denial_world(_build)


def _my_session(w, caller):
    return {"session": testcalls.testcall_start(actor=caller, flow=w["flow"], caller="13900000001")[0]}


VIEW, EDIT, TEST = "ivr.flow.view", "ivr.flow.edit", "ivr.flow.test"
SESSION = {"session": "other_session"}

API = [
    door("get", "/api/ivr/flows", VIEW),
    door("post", "/api/ivr/flows", EDIT, body={"hotline": "12582", "name": "新热线"}),
    door("get", "/api/ivr/flows/{flow}", VIEW),
    door("patch", "/api/ivr/flows/{flow}", EDIT, body={"name": "10086 热线"}),
    door("delete", "/api/ivr/flows/{spare_flow}", EDIT),
    door("get", "/api/ivr/flows/{flow}/versions", VIEW),
    door("post", "/api/ivr/flows/{flow}/versions", EDIT, body={"note": "再次发布"}),
    door("get", "/api/ivr/flows/{flow}/versions/1", VIEW),
    door("post", "/api/ivr/validate", VIEW, body={"definition": {"start": "a", "nodes": []}}),
    door("post", "/api/ivr/flows/{flow}/test-calls", TEST, body={"caller": "13900000001"}),
    door("post", "/api/ivr/test-calls/{session}/input", TEST, body={"digits": "1"}, prepare=_my_session,
         outside=SESSION),
    door("post", "/api/ivr/test-calls/{session}/timeout", TEST, prepare=_my_session, outside=SESSION),
    door("post", "/api/ivr/test-calls/{session}/end", TEST, prepare=_my_session, outside=SESSION),
]

UI = [
    door("get", "/ivr/", VIEW),
    door("post", "/ivr/new/", EDIT, body={"hotline": "12582", "name": "新热线"}, status=(302,)),
    door("post", "/ivr/seed/", EDIT, status=(302,)),
    door("get", "/ivr/flows/{flow}/", VIEW),
    door("post", "/ivr/flows/{flow}/settings/", EDIT, body={"name": "10086 热线"}, status=(302,)),
    door("get", "/ivr/flows/{flow}/versions/1/", VIEW),
    door("get", "/ivr/flows/{flow}/nodes/new/", EDIT),
    door("get", "/ivr/flows/{flow}/nodes/main/", EDIT),
    door("post", "/ivr/flows/{flow}/nodes/offer/delete/", EDIT),
    door("post", "/ivr/flows/{flow}/start/", EDIT, body={"start": "main"}),
    door("post", "/ivr/flows/{flow}/json/", EDIT, body=lambda w: {"definition": _draft_json(w["flow"])}),
    door("post", "/ivr/flows/{flow}/reset/", EDIT),
    door("post", "/ivr/flows/{flow}/publish/", EDIT, body={"note": "再次发布"}),
    door("post", "/ivr/flows/{flow}/test/", TEST, body={"caller": "13900000001"}),
    door("post", "/ivr/test/{session}/input/", TEST, body={"digits": "1"}, prepare=_my_session, outside=SESSION),
    door("post", "/ivr/test/{session}/timeout/", TEST, prepare=_my_session, outside=SESSION),
    door("post", "/ivr/test/{session}/end/", TEST, prepare=_my_session, outside=SESSION),
]


def _draft_json(flow):
    import json

    return json.dumps(flow.draft or flow.versions.order_by("-number").first().definition, ensure_ascii=False)


DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
