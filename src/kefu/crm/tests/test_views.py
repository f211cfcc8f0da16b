"""Customer pages: who may open them, and what they do."""

import pytest
from django.test import Client
from django.urls import reverse

from kefu.audit.models import AuditAction, AuditEntry
from kefu.core.testing import client_for, make_staff
from kefu.crm.models import Customer

from .factories import id_card


@pytest.fixture
def browser_for(city):
    def make(*perms):
        return client_for(make_staff(org=city, perms=perms))

    return make


def _urls(pk):
    return [
        ("get", reverse("crm:customer_search"), "crm.customer.view"),
        ("get", reverse("crm:customer_detail", args=[pk]), "crm.customer.view"),
        ("get", reverse("crm:customer_create"), "crm.customer.edit"),
        ("get", reverse("crm:customer_edit", args=[pk]), "crm.customer.edit"),
        ("get", reverse("crm:account_create", args=[pk]), "crm.customer.edit"),
        ("get", reverse("crm:subscriber_create", args=[pk]), "crm.customer.edit"),
        ("post", reverse("crm:customer_reveal", args=[pk]), "crm.customer.reveal"),
        ("post", reverse("crm:service_password_unlock", args=[pk]), "crm.password.reset"),
        ("post", reverse("crm:service_password_reset", args=[pk]), "crm.password.reset"),
    ]


@pytest.mark.parametrize("index", range(9))
def test_anonymous_is_sent_to_login(gz_customer, index):
    method, url, _perm = _urls(gz_customer.pk)[index]
    r = getattr(Client(), method)(url)
    assert r.status_code == 302 and "/iam/login/" in r["Location"]


@pytest.mark.parametrize("index", range(9))
def test_without_permission_gets_the_403_page(gz_customer, browser_for, index):
    method, url, perm = _urls(gz_customer.pk)[index]
    other = "crm.customer.view" if perm != "crm.customer.view" else "audit.log.view"
    r = getattr(browser_for(other), method)(url)
    assert r.status_code == 403


@pytest.mark.parametrize("index", [1, 3, 4, 5, 6, 7, 8])  # all pages that name a customer
def test_customer_of_another_branch_is_404(sz_customer, browser_for, index):
    method, url, perm = _urls(sz_customer.pk)[index]
    r = getattr(browser_for("crm.customer.view", perm), method)(url)
    assert r.status_code == 404


def test_search_page_and_htmx_partial(gz_customer, browser_for):
    browser = browser_for("crm.customer.view")
    page = browser.get(reverse("crm:customer_search"))
    assert page.status_code == 200 and 'data-testid="customer-search-form"' in page.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.SEARCH).exists()  # nothing searched yet
    r = browser.get(reverse("crm:customer_search"), {"q": "13900000001"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and "王伟" in html and "4401**********1235" in html
    assert "440106199001011235" not in html
    assert AuditEntry.objects.filter(action=AuditAction.SEARCH, result_count=1).exists()


def test_search_without_match_says_so(gz_customer, browser_for):
    r = browser_for("crm.customer.view").get(reverse("crm:customer_search"), {"q": "赵"})
    assert 'data-testid="no-results"' in r.content.decode()


def test_detail_is_masked_and_has_real_empty_sections(gz_customer, browser_for):
    r = browser_for("crm.customer.view").get(reverse("crm:customer_detail", args=[gz_customer.pk]))
    html = r.content.decode()
    assert "4401**********1235" in html and "广州市天河区****" in html
    assert "440106199001011235" not in html and "体育西路" not in html
    assert 'data-testid="reveal"' not in html  # no permission, no button
    assert 'data-testid="service-password-reset-form"' not in html
    assert 'data-testid="recent-contacts"' in html
    assert 'data-testid="work-orders"' not in html  # the section shows only to those who may see orders
    assert AuditEntry.objects.filter(action=AuditAction.READ, object_id=str(gz_customer.pk)).exists()
    with_orders = browser_for("crm.customer.view", "workorders.order.view")
    html = with_orders.get(reverse("crm:customer_detail", args=[gz_customer.pk])).content.decode()
    assert 'data-testid="work-orders"' in html and f"/workorders/customers/{gz_customer.pk}/" in html


def test_reveal_button_returns_the_clear_values_and_audits(gz_customer, browser_for):
    browser = browser_for("crm.customer.view", "crm.customer.reveal")
    html = browser.get(reverse("crm:customer_detail", args=[gz_customer.pk])).content.decode()
    assert 'data-testid="reveal"' in html and "440106199001011235" not in html
    r = browser.post(reverse("crm:customer_reveal", args=[gz_customer.pk]), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "440106199001011235" in html and "广州市天河区体育西路123号" in html and "<html" not in html
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(gz_customer.pk)).count() == 1


def test_create_customer_from_the_form(browser_for, city):
    browser = browser_for("crm.customer.edit", "crm.customer.view")
    cert = id_card()
    r = browser.post(reverse("crm:customer_create"), {
        "name": "周杰", "kind": "individual", "certificate_type": "id_card", "certificate_no": cert,
        "address": "广州市海珠区新港中路1号", "org": city.pk, "tier": "standard", "vip_level": "",
        "manager_employee_no": "", "service_password": "135790", "account_name": "周杰", "pay_method": "cash",
        "number": "13700055555", "brand": "gotone", "plan": "全球通88元套餐",
    })
    c = Customer.objects.get(certificate_no=cert)
    assert r.status_code == 302 and r["Location"] == reverse("crm:customer_detail", args=[c.pk])
    assert c.subscribers.get().number == "13700055555" and c.service_password_is_set


def test_create_form_shows_service_errors_on_their_fields(browser_for, city, gz_customer):
    browser = browser_for("crm.customer.edit")
    r = browser.post(reverse("crm:customer_create"), {
        "name": "重复", "kind": "individual", "certificate_type": "id_card",
        "certificate_no": gz_customer.certificate_no, "org": city.pk, "tier": "standard",
        "account_name": "重复", "pay_method": "cash",
    })
    assert r.status_code == 200
    assert r.context["form"].errors["certificate_no"]
    assert Customer.objects.filter(name="重复").count() == 0


def test_create_form_offers_only_orgs_in_scope(browser_for, city, other_city):
    r = browser_for("crm.customer.edit").get(reverse("crm:customer_create"))
    orgs = list(r.context["form"].fields["org"].queryset)
    assert city in orgs and other_city not in orgs


def test_edit_keeps_identity_unless_retyped_and_refuses_stale_versions(gz_customer, browser_for, city):
    browser = browser_for("crm.customer.edit", "crm.customer.view")
    url = reverse("crm:customer_edit", args=[gz_customer.pk])
    html = browser.get(url).content.decode()
    assert "4401**********1235" in html and "440106199001011235" not in html
    data = {"name": "王伟强", "kind": "individual", "certificate_type": "id_card", "new_certificate_no": "",
            "new_address": "", "org": city.pk, "tier": "vip", "vip_level": "gold", "manager_employee_no": "",
            "version": 1}
    assert browser.post(url, data).status_code == 302
    c = Customer.objects.get(pk=gz_customer.pk)
    assert (c.name, c.tier, c.certificate_no, c.address, c.version) == (
        "王伟强", "vip", "440106199001011235", "广州市天河区体育西路123号", 2)
    r = browser.post(url, dict(data, name="过期"))
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert Customer.objects.get(pk=gz_customer.pk).name == "王伟强"


def test_add_account_and_line_pages(gz_customer, browser_for):
    browser = browser_for("crm.customer.edit")
    r = browser.post(reverse("crm:account_create", args=[gz_customer.pk]),
                     {"name": "家庭账户", "pay_method": "online", "account_no": "", "balance": "20",
                      "status": "active"})
    assert r.status_code == 302
    account = gz_customer.accounts.get(name="家庭账户")
    r = browser.post(reverse("crm:subscriber_create", args=[gz_customer.pk]),
                     {"account": account.pk, "number": "13700066666", "brand": "easyown", "plan": ""})
    assert r.status_code == 302 and account.subscribers.get().number == "13700066666"
    r = browser.post(reverse("crm:subscriber_create", args=[gz_customer.pk]),
                     {"account": account.pk, "number": "13900000001", "brand": "easyown"})
    assert r.status_code == 200 and r.context["form"].errors["number"]


def test_unlock_and_reset_from_the_360_page(gz_customer, browser_for):
    from kefu.crm import services
    for _ in range(2):
        services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")
    browser = browser_for("crm.customer.view", "crm.password.reset")
    html = browser.get(reverse("crm:customer_detail", args=[gz_customer.pk])).content.decode()
    assert 'data-testid="service-password-unlock"' in html
    assert browser.post(reverse("crm:service_password_unlock", args=[gz_customer.pk])).status_code == 302
    assert Customer.objects.get(pk=gz_customer.pk).service_password_failures == 0
    url = reverse("crm:service_password_reset", args=[gz_customer.pk])
    r = browser.post(url, {"password": "123456", "confirm": "123456"})
    assert r.status_code == 400 and r.context["reset_form"].errors["password"]
    r = browser.post(url, {"password": "246801", "confirm": "246810"})
    assert r.status_code == 400 and r.context["reset_form"].errors["confirm"]
    assert browser.post(url, {"password": "246801", "confirm": "246801"}).status_code == 302
    assert services.service_password_verify(actor="ivr", customer=gz_customer, password="246801").verified


def test_nav_shows_customers_only_with_permission(browser_for, nobody):
    html = browser_for("crm.customer.view").get("/").content.decode()
    assert reverse("crm:customer_search") in html and reverse("crm:customer_create") not in html
    assert reverse("crm:customer_search") not in client_for(nobody).get("/").content.decode()
