"""The core pages every logged-in person may see still turn the anonymous away (see core/testing.py)."""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params

world = denial_world(denial_orgs)

DOORS = [
    door("get", "/"),
    door("get", "/worker-status/"),
    door("get", "/changelog/"),
]


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
