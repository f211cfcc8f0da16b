"""Business requests pre-accepted for an account manager (预受理, SPEC §4)."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.params.services import param_set
from kefu.workorders.models import Notice
from kefu.workorders.services.orders import workorder_create

from .conftest import HANDLER_PERMS

PRE = {"category": "pre_acceptance", "product": "集团专线"}


@pytest.fixture
def managers(center):
    from types import SimpleNamespace

    own = make_staff(org=center.gz, perms=HANDLER_PERMS, employee_no="M001", name="黄经理", position="account_manager")
    other = make_staff(org=center.gz, perms=HANDLER_PERMS, employee_no="M002", name="林经理",
                       position="account_manager")
    firm = make_customer(org=center.gz, name="广州某集团", kind="enterprise", brand="enterprise", manager=own)
    return SimpleNamespace(own=own, other=other, firm=firm)


def _pre(center, customer, **fields):
    return workorder_create(actor=center.agent, kind="business", title="开通集团专线", description="客户要开专线",
                            fields={**PRE, **fields}, customer=customer)[0]


def test_pre_acceptance_goes_to_the_customers_account_manager_with_their_own_deadline(center, managers):
    clock.freeze(clock.now())
    param_set(actor=center.agent, key="workorders.pre_acceptance.deadline", raw="12h")
    order = _pre(center, managers.firm)
    assert order.holder_staff == managers.own and order.holder_org == center.gz
    assert order.station == "process" and order.details["account_manager"] == "M001"
    assert order.station_due_at - order.station_entered_at == timedelta(hours=12)
    step = order.steps.order_by("-seq").first()
    assert step.action == "dispatch" and step.holder_staff == managers.own
    assert Notice.objects.filter(order=order, recipient=managers.own, kind="assigned").exists()


def test_a_named_account_manager_is_checked_and_used(center, managers):
    order = _pre(center, managers.firm, account_manager="M002")
    assert order.holder_staff == managers.other
    for bad in ("nobody-xyz", "G001"):  # unknown, and a person who is no account manager
        with pytest.raises(ValidationFailed) as e:
            _pre(center, managers.firm, account_manager=bad)
        assert "account_manager" in e.value.details


def test_pre_acceptance_without_any_account_manager_is_refused(center):
    with pytest.raises(ValidationFailed) as e:
        _pre(center, center.mzone)
    assert "account_manager" in e.value.details


def test_pre_acceptance_over_http_refuses_free_text(center, managers):
    api = JsonClient(client_for(center.agent))
    body = {"kind": "business", "title": "开通集团专线", "description": "客户要开专线", "customer_id": managers.firm.pk}
    r = api.post("/api/workorders/orders", {**body, "fields": {**PRE, "account_manager": "nobody-xyz"}})
    assert r.status_code == 400 and "account_manager" in r.json()["details"]
    r = api.post("/api/workorders/orders", {**body, "fields": PRE})
    assert r.status_code == 201 and r.json()["holder"]["staff"] == "M001"
