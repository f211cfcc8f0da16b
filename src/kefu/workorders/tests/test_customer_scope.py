"""A customer outside my branch reads as no customer at all, whatever door the number or id comes through."""

import re

import pytest

from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.workorders.models import WorkOrder

from .conftest import AGENT_PERMS, COMPLAINT_FIELDS

SZ_NUMBER = "13900000099"
UNKNOWN_NUMBER = "13900000098"


@pytest.fixture
def shenzhen_customer(center):
    return make_customer(org=center.sz, name="孙深圳", number=SZ_NUMBER)


@pytest.fixture
def gz_agent(center):
    return make_staff(org=center.gz, perms=AGENT_PERMS, employee_no="G100", name="广州话务")


def _create(api, **kw):
    body = {"kind": "complaint", "title": "资费争议", "description": "多扣费", "fields": COMPLAINT_FIELDS, **kw}
    return api.post("/api/workorders/orders", body)


def _anonymised(body: dict, number: str) -> dict:
    return {k: (v.replace(number, "N") if isinstance(v, str) else v) for k, v in body.items()}


def test_a_number_outside_my_branch_answers_like_an_unknown_number_over_the_api(center, gz_agent,
                                                                                 shenzhen_customer):
    api = JsonClient(client_for(gz_agent))
    foreign = _create(api, subscriber_number=SZ_NUMBER)
    unknown = _create(api, subscriber_number=UNKNOWN_NUMBER)
    assert foreign.status_code == unknown.status_code == 404
    assert _anonymised(foreign.json(), SZ_NUMBER) == _anonymised(unknown.json(), UNKNOWN_NUMBER)
    assert foreign.json()["code"] == "subscriber_not_found"
    assert not WorkOrder.objects.exists()
    # My own branch's numbers still work.
    assert _create(api, subscriber_number="13900000001").status_code == 201


def test_a_customer_id_outside_my_branch_answers_like_a_missing_id_over_the_api(center, gz_agent,
                                                                                 shenzhen_customer):
    api = JsonClient(client_for(gz_agent))
    foreign = _create(api, customer_id=shenzhen_customer.pk)
    missing = _create(api, customer_id=999999)
    assert foreign.status_code == missing.status_code == 404 and foreign.json() == missing.json()
    assert not WorkOrder.objects.exists()


def test_the_province_sees_every_branchs_numbers(center, shenzhen_customer):
    api = JsonClient(client_for(center.agent))
    r = _create(api, subscriber_number=SZ_NUMBER)
    assert r.status_code == 201 and WorkOrder.objects.get().customer == shenzhen_customer


def _form(number):
    return {"kind": "complaint", "title": "信号差", "description": "家里没信号", "channel": "phone",
            "subscriber_number": number, **{f"f_{k}": v for k, v in COMPLAINT_FIELDS.items()}}


def _page(html: str, number: str) -> str:
    """The page with the number and the (per-response masked) CSRF tokens blanked out."""
    return re.sub(r"[A-Za-z0-9]{64}", "T", html).replace(number, "N")


def test_the_create_form_treats_a_number_outside_my_branch_as_unknown(center, gz_agent, shenzhen_customer):
    c = client_for(gz_agent)
    foreign = c.post("/workorders/new/", _form(SZ_NUMBER))
    unknown = c.post("/workorders/new/", _form(UNKNOWN_NUMBER))
    assert foreign.status_code == unknown.status_code == 400
    html = foreign.content.decode()
    assert "孙深圳" not in html
    assert _page(html, SZ_NUMBER) == _page(unknown.content.decode(), UNKNOWN_NUMBER)
    assert not WorkOrder.objects.exists()


def test_the_create_form_ignores_a_customer_outside_my_branch(center, gz_agent, shenzhen_customer):
    c = client_for(gz_agent)
    html = c.get(f"/workorders/new/?customer={shenzhen_customer.pk}").content.decode()
    assert "孙深圳" not in html and SZ_NUMBER not in html and 'name="customer"' not in html
    own = c.get(f"/workorders/new/?customer={center.vip.pk}").content.decode()
    assert f'name="customer" value="{center.vip.pk}"' in own


def test_the_customers_orders_panel_is_404_outside_my_branch(center, gz_agent, shenzhen_customer):
    c = client_for(gz_agent)
    assert c.get(f"/workorders/customers/{shenzhen_customer.pk}/", HTTP_HX_REQUEST="true").status_code == 404
    assert c.get("/workorders/customers/999999/", HTTP_HX_REQUEST="true").status_code == 404
    assert c.get(f"/workorders/customers/{center.vip.pk}/", HTTP_HX_REQUEST="true").status_code == 200
