"""The "Bills" partial of the customer 360 page."""

from kefu.audit.models import AuditEntry
from kefu.core.testing import client_for, make_staff


def test_partial_needs_the_permission(billed, city):
    c = client_for(make_staff(org=city, perms=["crm.customer.view"]))
    assert c.get(f"/billing/customers/{billed.gz.pk}/summary/").status_code == 403


def test_partial_shows_the_bill_and_is_audited(billed, city):
    c = client_for(make_staff(org=city, perms=["billing.bill.view", "billing.payment.view"]))
    r = c.get(f"/billing/customers/{billed.gz.pk}/summary/", HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert r.status_code == 200 and 'data-testid="billing-summary"' in page
    assert "128.50" in page and "108.00" in page and "100.30" in page
    assert 'data-testid="billing-points"' not in page  # no billing.points.view
    assert AuditEntry.objects.filter(object_id=str(billed.gz.pk), action="read", note="billing: summary").exists()


def test_partial_for_a_customer_outside_my_scope_is_404(billed, city):
    c = client_for(make_staff(org=city, perms=["billing"]))
    assert c.get(f"/billing/customers/{billed.sz.pk}/summary/").status_code == 404
