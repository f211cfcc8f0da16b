"""Every orgs door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py)."""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_org


def _build():
    w = denial_orgs()
    w["dept"] = make_org(code="GZ-CS", name="广州客服部", kind="department", parent=w["city"])
    w["dept2"] = make_org(code="GZ-BO", name="广州后台部", kind="department", parent=w["city"])
    w["closed"] = make_org(code="GZ-OLD", name="广州旧部门", kind="department", parent=w["city"])
    w["closed"].active = False
    w["closed"].save()
    w["dept_version"] = w["dept"].version
    return w


world = denial_world(_build)

VIEW, EDIT = "orgs.org.view", "orgs.org.edit"
DEPT = {"dept": "other_city"}


def _version(key, **extra):
    return {"version": "{" + key + "_version}", **extra}


API = [
    door("get", "/api/orgs/tree", VIEW),
    door("get", "/api/orgs/", VIEW),
    door("post", "/api/orgs/", EDIT, body={"code": "GZ-NEW", "name": "新部门", "kind": "department",
                                           "parent_id": "{city}"}, outside={"city": "other_city"}),
    door("get", "/api/orgs/{dept}", VIEW, outside=DEPT),
    door("patch", "/api/orgs/{dept}", EDIT, body=_version("dept", name="客服一部"), outside=DEPT),
    door("post", "/api/orgs/{dept}/move", EDIT, body={"parent_id": "{dept2}"},
         outside=DEPT),
    door("post", "/api/orgs/{dept}/deactivate", EDIT, outside=DEPT),
    door("post", "/api/orgs/{closed}/activate", EDIT, outside={"closed": "other_city"}),
]

UI = [
    door("get", "/orgs/", VIEW),
    door("get", "/orgs/new/", EDIT),
    door("post", "/orgs/new/", EDIT, status=(302,), outside={"city": "other_city"},
         body={"code": "GZ-NEW", "name": "新部门", "kind": "department", "parent": "{city}"}),
    door("get", "/orgs/{dept}/edit/", EDIT, outside=DEPT),
    door("post", "/orgs/{dept}/edit/", EDIT, status=(302,), body=_version("dept", name="客服一部"), outside=DEPT),
    door("get", "/orgs/{dept}/move/", EDIT, outside=DEPT),
    door("post", "/orgs/{dept}/move/", EDIT, status=(302,), outside=DEPT,
         body={"parent": "{dept2}", "version": "{dept_version}"}),
    door("post", "/orgs/{dept}/active/", EDIT, body={"active": "0"}, status=(302,), outside=DEPT),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
