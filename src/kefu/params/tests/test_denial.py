"""Every params door denies the anonymous and the unpermitted caller (see core/testing.py).

Parameters are one set for the whole center, so no door has an out-of-branch case.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params

world = denial_world(denial_orgs)

VIEW, EDIT = "params.param.view", "params.param.edit"
VIP = "sla.reply.vip"

DOORS = [
    door("get", "/api/params/", VIEW),
    door("get", f"/api/params/{VIP}", VIEW),
    door("put", f"/api/params/{VIP}", EDIT, body={"value": "6h"}),
    door("post", f"/api/params/{VIP}/reset", EDIT, body={}),
    door("get", "/params/", VIEW),
    door("post", f"/params/{VIP}/", EDIT, body={"value": "6h"}, status=(302,)),
    door("post", f"/params/{VIP}/reset/", EDIT, status=(302,)),
]


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
