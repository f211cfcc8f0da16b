"""Every audit door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py)."""

import pytest

from kefu.audit.services import audit_record
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff


def _build():
    w = denial_orgs()
    gz_person = make_staff(org=w["city"], employee_no="gz001", name="广州甲")
    sz_person = make_staff(org=w["other_city"], employee_no="sz001", name="深圳乙")
    w["entry"] = audit_record(actor=gz_person, action="update", object_type="orgs.organisation",
                              object_id=w["city"].pk, object_repr="广州分公司 (GZ)")
    w["other_entry"] = audit_record(actor=sz_person, action="update", object_type="orgs.organisation",
                                    object_id=w["other_city"].pk, object_repr="深圳分公司 (SZ)")
    return w


world = denial_world(_build)

VIEW = "audit.log.view"

DOORS = [
    door("get", "/api/audit/entries", VIEW),
    door("get", "/api/audit/entries/{entry}", VIEW, outside={"entry": "other_entry"}),
    door("get", "/api/audit/archives", VIEW),
    door("get", "/audit/", VIEW),
    door("get", "/audit/archives/", VIEW),
]


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
