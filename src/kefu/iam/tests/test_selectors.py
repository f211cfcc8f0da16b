"""Reads other apps make of people through iam's selectors."""

from kefu.core.testing import make_staff
from kefu.iam.models import Staff, StaffStatus
from kefu.iam.selectors import staff_active_of, staff_supervisors_of


def test_supervisors_of_an_organisation_are_its_active_supervisors_only(city, other_city):
    sup = make_staff(org=city, position="supervisor")
    gone = make_staff(org=city, position="supervisor")
    Staff.objects.filter(pk=gone.pk).update(status=StaffStatus.LEFT)
    make_staff(org=city, position="agent")
    make_staff(org=other_city, position="supervisor")
    assert staff_supervisors_of(city) == [sup]
    assert len(staff_supervisors_of(city, limit=0)) == 0


def test_active_staff_of_an_organisation_in_the_order_they_were_added(city, province):
    first, second = make_staff(org=city), make_staff(org=city, position="supervisor")
    gone = make_staff(org=city)
    Staff.objects.filter(pk=gone.pk).update(status=StaffStatus.ON_LEAVE)
    make_staff(org=province)
    assert staff_active_of(city) == [first, second]
    assert staff_active_of(city, limit=1) == [first]
