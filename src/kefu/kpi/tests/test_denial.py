"""Every indicator door denies the anonymous and the unpermitted caller (see core/testing.py).

Interval rows are scoped by organisation inside the report; the report has no record ids to hide.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params

world = denial_world(denial_orgs)

VIEW, EXPORT, WALL = "kpi.report.view", "kpi.report.export", "kpi.wallboard.view"

API = [
    door("get", "/api/kpi/indicators", VIEW),
    door("get", "/api/kpi/report", VIEW),
    door("get", "/api/kpi/today", VIEW),
    door(
        "get",
        "/api/kpi/records?since=2026-03-02T09:00:00%2B08:00&until=2026-03-02T10:00:00%2B08:00",
        VIEW,
        "contactcenter.contact.view",
    ),
    door("get", "/api/kpi/wallboard", WALL),
]

UI = [
    door("get", "/kpi/", VIEW),
    door("get", "/kpi/today/", VIEW),
    door("get", "/kpi/export.csv", EXPORT),
    door("get", "/kpi/export.xlsx", EXPORT),
    door("get", "/kpi/wallboard/", WALL),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
