"""Fixtures of the audit tests: a few entries by people in different places."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.testing import make_staff

T0 = timezone.make_aware(datetime(2026, 3, 1, 9, 0))


@pytest.fixture
def entries(province, city, other_city):
    """Three entries at 09:00, 10:00 and 11:00 by staff in GZ, SZ and the worker."""
    gz_person = make_staff(org=city, employee_no="gz001", name="广州甲")
    sz_person = make_staff(org=other_city, employee_no="sz001", name="深圳乙")
    with clock.frozen_at(T0):
        a = audit_record(actor=gz_person, action="update", object_type="orgs.organisation", object_id=city.pk,
                         object_repr="广州分公司 (GZ)", changes={"name": ["广州", "广州分公司"]})
    with clock.frozen_at(T0 + timedelta(hours=1)):
        b = audit_record(actor=sz_person, action="search", object_type="crm.customer",
                         conditions={"number": "13800138000"}, result_count=2)
    with clock.frozen_at(T0 + timedelta(hours=2)):
        c = audit_record(actor="system", action="expire", object_type="iam.temporarypermission", object_id=7,
                         object_repr="夜班临时授权")
    return {"gz": a, "sz": b, "system": c, "gz_person": gz_person, "sz_person": sz_person}
