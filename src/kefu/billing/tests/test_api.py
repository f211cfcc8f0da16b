"""Billing API: data, scope, audit, and denial for every endpoint."""

import pytest

from kefu.audit.models import AuditEntry

PERIOD_URL = "/api/billing/accounts/{a}/bills/{p}"


def _urls(b):
    a = b.account.pk
    return [
        ("billing.bill.view", f"/api/billing/customers/{b.gz.pk}/summary"),
        ("billing.bill.view", f"/api/billing/accounts/{a}/bills"),
        ("billing.bill.view", PERIOD_URL.format(a=a, p=b.current.period)),
        ("billing.bill.view", f"/api/billing/accounts/{a}/arrears"),
        ("billing.payment.view", f"/api/billing/accounts/{a}/payments"),
        ("billing.points.view", f"/api/billing/customers/{b.gz.pk}/points"),
    ]


def test_every_endpoint_denies_anonymous_and_unpermitted_and_serves_the_permitted(billed, anon_api, nobody_api,
                                                                                  gz_api):
    for perm, url in _urls(billed):
        assert anon_api.get(url).status_code == 401, url
        assert nobody_api.get(url).status_code == 403, url
        assert gz_api(perm).get(url).status_code == 200, url


def test_customers_outside_my_organisations_are_not_found(billed, gz_api):
    api = gz_api("billing")
    sz_account = billed.sz.accounts.get().pk
    for url in (f"/api/billing/customers/{billed.sz.pk}/summary", f"/api/billing/accounts/{sz_account}/bills",
                PERIOD_URL.format(a=sz_account, p=billed.sz_bill.period), f"/api/billing/accounts/{sz_account}/arrears",
                f"/api/billing/accounts/{sz_account}/payments", f"/api/billing/customers/{billed.sz.pk}/points"):
        assert api.get(url).status_code == 404, url


def test_summary_shows_current_bill_balance_arrears_points_and_payments(billed, gz_api):
    body = gz_api("billing.bill.view").get(f"/api/billing/customers/{billed.gz.pk}/summary").json()
    account = body["accounts"][0]
    assert account["current_bill"]["amount_due"] == "128.50" and account["current_bill"]["status"] == "open"
    assert body["arrears_total"] == "108.00" and account["arrears_months"] == 1
    assert body["points"]["usable"] == 600 and body["recent_payments"][0]["amount"] == "100.30"


def test_bill_list_detail_and_arrears(billed, gz_api):
    api = gz_api("billing.bill.view")
    a = billed.account.pk
    page = api.get(f"/api/billing/accounts/{a}/bills").json()
    assert [b["period"] for b in page["items"]] == [billed.current.period, billed.last.period, billed.old.period]
    detail = api.get(PERIOD_URL.format(a=a, p=billed.old.period)).json()
    assert [(i["item_type"], i["amount"]) for i in detail["items"]] == [("plan", "88.00"), ("voice", "12.30")]
    assert api.get(PERIOD_URL.format(a=a, p="200001")).status_code == 404
    assert api.get(PERIOD_URL.format(a=a, p="nonsense")).status_code == 404
    arrears = api.get(f"/api/billing/accounts/{a}/arrears").json()
    assert arrears["total"] == "108.00" and arrears["bills"][0]["period"] == billed.last.period


@pytest.mark.parametrize("url", ["/api/billing/customers/{c}/points", "/api/billing/customers/{c}/summary"])
def test_reads_are_audited(billed, gz_api, url):
    gz_api("billing").get(url.format(c=billed.gz.pk))
    entry = AuditEntry.objects.filter(object_type="crm.customer", object_id=str(billed.gz.pk), action="read").first()
    assert entry is not None and entry.note.startswith("billing:")
