"""The demo customer seeding (kefu.demo.customers)."""

from collections import Counter

import pytest

from kefu.audit.models import AuditEntry
from kefu.crm.models import Account, Customer, Subscriber
from kefu.crm.validation import validate_certificate, validate_mobile
from kefu.demo import structure
from kefu.demo.customers import DEMO_SERVICE_PASSWORD, customers_seed, id_card_number, mobile_number

from .factories import make_customer


@pytest.fixture
def orgs(db):
    return structure.orgs_seed()


def test_seeding_tops_up_to_count_and_is_idempotent(orgs):
    assert customers_seed(count=400, orgs=orgs, progress=False) == 400
    counts = (Customer.objects.count(), Account.objects.count(), Subscriber.objects.count())
    audit = AuditEntry.objects.count()
    assert customers_seed(count=400, orgs=orgs, progress=False) == 0
    assert (Customer.objects.count(), Account.objects.count(), Subscriber.objects.count()) == counts
    assert AuditEntry.objects.count() == audit
    assert customers_seed(count=500, orgs=orgs, progress=False) == 100
    assert Customer.objects.count() == 500


def test_seeded_data_is_valid_plausible_and_spread(orgs):
    customers_seed(count=1000, orgs=orgs, progress=False)
    customers = list(Customer.objects.select_related("org"))
    for c in customers[:200]:
        assert validate_certificate(c.certificate_type, c.certificate_no) == c.certificate_no
    assert {c.org.code for c in customers} == {"GZ", "SZ", "FS"}
    gz = [c for c in customers if c.org.code == "GZ" and c.kind == "individual"]
    assert all(c.certificate_no.startswith("4401") and c.address.startswith("广州市") for c in gz)
    tiers = Counter("vip" if c.tier == "vip" else c.kind for c in customers)
    assert 10 <= tiers["vip"] <= 60 and 5 <= tiers["enterprise"] <= 45
    brand_of = dict(Subscriber.objects.filter(customer__tier="standard", customer__kind="individual")
                    .values_list("customer_id", "brand"))
    brands = Counter(brand_of.values())
    total = sum(brands.values())
    assert 0.25 < brands["gotone"] / total < 0.38 and 0.40 < brands["mzone"] / total < 0.55
    assert 0.14 < brands["easyown"] / total < 0.27
    per_customer = Counter(Subscriber.objects.values_list("customer_id", flat=True))
    assert set(per_customer.values()) == {1, 2, 3}
    assert set(Counter(Account.objects.values_list("customer_id", flat=True)).values()) == {1, 2}
    for number in Subscriber.objects.values_list("number", flat=True)[:200]:
        validate_mobile(number)


def test_rows_written_past_the_orm_read_back_as_the_orm_would_write_them(orgs):
    from decimal import Decimal

    from kefu.core import clock

    now = clock.now()
    clock.freeze(now)
    customers_seed(count=50, orgs=orgs, progress=False)
    for c in Customer.objects.all():
        assert c.created_at.tzinfo is not None and c.created_at <= now and c.version == 1
        assert c.vip_level == "" or c.tier == "vip"
    for a in Account.objects.select_related("customer"):
        assert isinstance(a.balance, Decimal) and a.balance.as_tuple().exponent == -2
        assert a.created_at == a.customer.created_at
        assert (a.status == "arrears") == (a.balance < 0)
    for s in Subscriber.objects.select_related("account"):
        assert s.account.customer_id == s.customer_id and s.opened_at <= now


def test_one_hash_is_reused_and_it_is_the_demo_password(orgs):
    from django.contrib.auth.hashers import check_password

    customers_seed(count=200, orgs=orgs, progress=False)
    hashes = set(Customer.objects.exclude(service_password="").values_list("service_password", flat=True))
    assert len(hashes) == 1 and check_password(DEMO_SERVICE_PASSWORD, hashes.pop())
    assert Customer.objects.filter(service_password="").exists()


def test_one_summary_audit_entry_per_run(orgs):
    before = AuditEntry.objects.count()
    customers_seed(count=300, orgs=orgs, progress=False)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.result_count == 300 and entry.object_type == "crm.customer"


def test_values_taken_by_hand_are_skipped_not_duplicated(orgs):
    make_customer(org=orgs["GZ"], number=mobile_number(0, 0))
    make_customer(org=orgs["SZ"], certificate_no=id_card_number(2, "440305"))
    assert customers_seed(count=50, orgs=orgs, progress=False) == 48
    assert Customer.objects.count() == 50


def test_unique_values_are_distinct_by_construction():
    numbers = {mobile_number(i, s) for i in range(20_000) for s in range(3)}
    assert len(numbers) == 60_000
    assert len({id_card_number(i, "440106") for i in range(20_000)}) == 20_000
