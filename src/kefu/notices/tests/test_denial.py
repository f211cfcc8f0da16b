"""Every notices door denies the anonymous and the unpermitted caller (see core/testing.py).

Requests belong to the organisation of their external system, subscriptions to their customer's: another
branch's answer like ones that do not exist. External systems are one list for the whole center.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params
from kefu.crm.tests.factories import make_customer
from kefu.notices.services.callbacks import callback_create
from kefu.notices.services.requests import RequestData, notice_request_receive
from kefu.notices.services.systems import SystemData, system_create


def _build():
    w = denial_orgs()
    here = make_customer(org=w["city"], name="王伟", number="13900000001")
    there = make_customer(org=w["other_city"], name="李娜", number="13900000002")
    w["customer"], w["other_customer"] = here, there
    w["number"], w["other_number"] = "13900000001", "13900000002"
    for key, org in (("system", w["city"]), ("other_system", w["other_city"])):
        w[key] = system_create(actor="test", data=SystemData(code=key.replace("_", "-"), name=key, callback_url="",
                                                             org_id=org.pk)).system
        req = notice_request_receive(system=w[key], data=RequestData(
            request_id="R1", kind="public", body="您好", recipients=[{"number": "13900000001"}])).request
        w[key.replace("system", "request")] = req
        w[key.replace("system", "callback")] = callback_create(request_id=req.pk, recipient_ids=[])
    return w


world = denial_world(_build)

VIEW, RETRY = "notices.request.view", "notices.request.retry"
S_VIEW, S_EDIT = "notices.system.view", "notices.system.edit"
SUB_VIEW, SUB_EDIT = "notices.subscription.view", "notices.subscription.edit"
SYSTEM = {"code": "new-boss", "name": "BOSS", "callback_url": "https://boss.example.com/cb", "org": "GZ"}

API = [
    door("get", "/api/notices/requests", VIEW),
    door("get", "/api/notices/requests/{request}", VIEW, outside={"request": "other_request"}),
    door("get", "/api/notices/requests/{request}/recipients", VIEW, outside={"request": "other_request"}),
    door("get", "/api/notices/requests/{request}/callbacks", VIEW, outside={"request": "other_request"}),
    door("post", "/api/notices/callbacks/{callback}/retry", RETRY, outside={"callback": "other_callback"}),
    door("get", "/api/notices/systems", S_VIEW),
    door("post", "/api/notices/systems", S_EDIT, body=SYSTEM),
    door("put", "/api/notices/systems/{system}", S_EDIT, body={"name": "BOSS 2", "callback_url": ""}),
    door("post", "/api/notices/systems/{system}/rotate", S_EDIT),
    door("get", "/api/notices/subscriptions/{number}", SUB_VIEW, outside={"number": "other_number"},
         missing={"number": "13999999999"}),
    door("put", "/api/notices/subscriptions/{number}", SUB_EDIT, body={"kind": "promotion", "subscribed": False},
         outside={"number": "other_number"}, missing={"number": "13999999999"}),
]

UI = [
    door("get", "/notices/", VIEW),
    door("get", "/notices/requests/{request}/", VIEW, outside={"request": "other_request"}),
    door("post", "/notices/callbacks/{callback}/retry/", RETRY, outside={"callback": "other_callback"},
         status=(302,)),
    door("get", "/notices/systems/", S_VIEW),
    door("get", "/notices/systems/new/", S_EDIT),
    door("get", "/notices/systems/{system}/", S_EDIT),
    door("post", "/notices/systems/{system}/rotate/", S_EDIT, status=(302,)),
    door("get", "/notices/subscriptions/", SUB_VIEW, body={"number": "13900000001"}),
    door("get", "/notices/customers/{customer}/subscriptions/", SUB_VIEW, outside={"customer": "other_customer"}),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
