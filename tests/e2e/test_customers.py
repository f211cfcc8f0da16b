"""Journeys on the customer pages: find a customer by number, open the 360,
reveal the certificate number; create a customer; unlock a service password."""

import pytest

from kefu.audit.models import AuditAction, AuditEntry
from kefu.core.errors import Locked
from kefu.core.testing import make_org, make_staff
from kefu.crm import services
from kefu.crm.models import Customer
from kefu.crm.tests.factories import id_card, make_customer

from .conftest import login


def _branch():
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    return make_org(code="GZ", name="广州分公司", kind="city", parent=province)


def test_agent_finds_a_customer_by_number_and_reveals_the_certificate(page, transactional_db):
    city = _branch()
    agent = make_staff(org=city, employee_no="e2e-crm", name="李小话",
                       perms=["crm.customer.view", "crm.customer.reveal"])
    customer = make_customer(org=city, name="黄志强", number="13912345678", brand="gotone",
                             certificate_no="440106199001011235", address="广州市天河区体育西路123号")
    login(page, "e2e-crm")

    page.click('nav a[href="/crm/"]')
    page.fill('[data-testid="customer-q"]', "139 1234 5678")
    page.click('[data-testid="customer-search-submit"]')
    row = page.locator('[data-testid="customer-row"]')
    row.first.wait_for()
    assert row.count() == 1
    assert "黄志强" in row.inner_text() and "全球通" in row.inner_text()
    assert "4401**********1235" in row.inner_text()
    assert "q=139" in page.url  # the search is in the address bar (htmx push): reload or share it

    row.locator('[data-testid="customer-link"]').click()
    page.wait_for_selector('[data-testid="customer-name"]')
    assert page.inner_text('[data-testid="customer-name"]') == "黄志强"
    assert page.inner_text('[data-testid="certificate-no"]') == "4401**********1235"
    assert page.inner_text('[data-testid="address"]') == "广州市天河区****"
    assert "暂无接触记录" in page.inner_text('[data-testid="recent-contacts"]')
    assert "13912345678" in page.inner_text('[data-testid="subscribers"]')

    page.click('[data-testid="reveal"]')
    page.wait_for_selector('[data-testid="revealed-note"]')
    assert page.inner_text('[data-testid="certificate-no"]') == "440106199001011235"
    assert page.inner_text('[data-testid="address"]') == "广州市天河区体育西路123号"

    mine = AuditEntry.objects.filter(actor=agent)
    assert mine.filter(action=AuditAction.SEARCH, conditions__number="13912345678", result_count=1).exists()
    assert mine.filter(action=AuditAction.READ, object_id=str(customer.pk)).exists()
    assert mine.filter(action=AuditAction.REVEAL, object_id=str(customer.pk)).count() == 1


def test_clerk_creates_a_customer_with_a_first_line(page, transactional_db):
    city = _branch()
    make_staff(org=city, employee_no="e2e-clerk", name="营业员",
               perms=["crm.customer.view", "crm.customer.edit"])
    cert = id_card()
    login(page, "e2e-clerk")

    page.click('nav a[href="/crm/customers/new/"]')
    page.fill("#id_name", "孙丽")
    page.fill("#id_certificate_no", cert)
    page.fill("#id_address", "广州市海珠区新港中路1号")
    page.select_option("#id_org", str(city.pk))
    page.fill("#id_service_password", "135790")
    page.fill("#id_account_name", "孙丽")
    page.fill("#id_number", "1370001")  # too short: the form says so and keeps the input
    page.select_option("#id_brand", "mzone")
    page.click('[data-testid="save"]')
    page.wait_for_selector(".errors")
    assert not Customer.objects.exists()
    page.fill("#id_number", "13700012345")
    page.fill("#id_service_password", "135790")
    page.click('[data-testid="save"]')

    page.wait_for_selector('[data-testid="customer-name"]')
    assert page.inner_text('[data-testid="customer-name"]') == "孙丽"
    assert page.inner_text('[data-testid="certificate-no"]') == cert[:4] + "*" * 10 + cert[-4:]
    assert "13700012345" in page.inner_text('[data-testid="subscribers"]')
    assert "已设置" in page.inner_text('[data-testid="service-password-state"]')


def test_supervisor_unlocks_a_locked_service_password(page, transactional_db):
    city = _branch()
    supervisor = make_staff(org=city, employee_no="e2e-sup", name="陈值班",
                            perms=["crm.customer.view", "crm.password.reset"])
    customer = make_customer(org=city, name="刘洋", service_password="135790")
    for _ in range(2):
        services.service_password_verify(actor="ivr", customer=customer, password="000000")
    with pytest.raises(Locked):
        services.service_password_verify(actor="ivr", customer=customer, password="000000")
    login(page, "e2e-sup")

    page.goto(f"/crm/customers/{customer.pk}/")
    assert "已锁定" in page.inner_text('[data-testid="service-password-state"]')
    page.on("dialog", lambda dialog: dialog.accept())
    page.click('[data-testid="service-password-unlock"]')
    page.wait_for_selector('[data-testid="service-password-state"] .badge.ok')
    assert not Customer.objects.get(pk=customer.pk).service_password_is_locked
    assert AuditEntry.objects.filter(actor=supervisor, action=AuditAction.UNLOCK).exists()
