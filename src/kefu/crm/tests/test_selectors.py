import pytest

from kefu.audit.models import AuditAction, AuditEntry
from kefu.core.errors import NotFound, PermissionDenied
from kefu.core.testing import make_staff
from kefu.crm.selectors import CustomerFilters, customer_360, customer_reveal, customer_search

from .factories import make_customer


def search(actor, **filters):
    return list(customer_search(actor=actor, filters=CustomerFilters(**filters)))


@pytest.fixture
def viewer(city):
    return make_staff(org=city, perms=["crm.customer.view"])


def test_search_box_recognises_number_certificate_and_name(viewer, gz_customer, city):
    make_customer(org=city, name="王芳")
    make_customer(org=city, name="张王")
    assert search(viewer, q="139 0000 0001") == [gz_customer]
    assert search(viewer, q=gz_customer.certificate_no.lower()) == [gz_customer]
    assert [c.name for c in search(viewer, q="王")] == ["王伟", "王芳"]
    assert [c.name for c in search(viewer, q="王伟")] == ["王伟"]
    assert [c.name for c in search(viewer, name="王", name_match="contains")] == ["张王", "王伟", "王芳"]
    assert search(viewer, q="13900000009") == []


def test_search_filters_by_tier_and_brand(viewer, city):
    vip = make_customer(org=city, tier="vip", vip_level="diamond", brand="gotone")
    make_customer(org=city, brand="mzone")
    assert search(viewer, tier="vip") == [vip]
    assert search(viewer, brand="gotone") == [vip]


def test_search_is_scoped_to_the_actors_branch(viewer, gz_customer, sz_customer, admin):
    assert search(viewer, q=sz_customer.subscribers.get().number) == []
    assert {c.pk for c in search(viewer, q="李")} == set()
    assert {c.pk for c in search(admin, tier="standard")} == {gz_customer.pk, sz_customer.pk}


def test_every_search_writes_its_conditions_and_result_count(viewer, gz_customer):
    search(viewer, q="王", tier="standard")
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert entry.actor == viewer and entry.object_type == "crm.customer"
    assert entry.conditions == {"name": "王", "name_match": "prefix", "tier": "standard"}
    assert entry.result_count == 1


def test_search_results_carry_their_first_lines(viewer, city):
    c = make_customer(org=city, kind="enterprise", name="广州某集团", brand="enterprise", lines=7)
    [row] = search(viewer, q="广州某")
    assert len(row.first_lines) == 5 and row.first_lines[0].number == c.subscribers.order_by("id")[0].number


def test_360_is_audited_as_a_read_and_masks_identity(viewer, gz_customer):
    view = customer_360(actor=viewer, customer_id=gz_customer.pk)
    assert view.certificate_no_masked == "4401**********1235"
    assert view.address_masked == "广州市天河区****"
    assert view.account_count == 1 and view.subscriber_count == 1 and view.service_tier == "other"
    assert AuditEntry.objects.filter(action=AuditAction.READ, object_id=str(gz_customer.pk), actor=viewer).exists()


def test_360_of_a_customer_outside_scope_is_not_found(viewer, sz_customer):
    with pytest.raises(NotFound):
        customer_360(actor=viewer, customer_id=sz_customer.pk)
    with pytest.raises(NotFound):
        customer_360(actor=viewer, customer_id="nonsense")


def test_reveal_needs_the_permission_and_is_audited(city, gz_customer, viewer):
    with pytest.raises(PermissionDenied):
        customer_reveal(actor=viewer, customer_id=gz_customer.pk)
    revealer = make_staff(org=city, perms=["crm.customer.view", "crm.customer.reveal"])
    clear = customer_reveal(actor=revealer, customer_id=gz_customer.pk)
    assert clear == {"certificate_no": "440106199001011235", "address": "广州市天河区体育西路123号"}
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, actor=revealer,
                                     object_id=str(gz_customer.pk)).count() == 1


def test_search_queries_stay_flat(viewer, city, django_assert_max_num_queries):
    for i in range(30):
        make_customer(org=city, name=f"王{i:02d}", lines=2)
    from kefu.iam.models import Staff
    fresh = Staff.objects.select_related("org", "role").get(pk=viewer.pk)
    # scope + count + page + first lines + audit (+ permission lookups), not one per row
    with django_assert_max_num_queries(10):
        rows = list(customer_search(actor=fresh, filters=CustomerFilters(q="王"))[:25])
        assert all(len(r.first_lines) == 2 for r in rows)


def test_subscriber_by_number_answers_none_outside_the_actors_scope(db):
    from kefu.core.testing import make_org, make_staff
    from kefu.crm.selectors import subscriber_by_number, subscriber_identify_caller
    from kefu.crm.tests.factories import make_customer

    province = make_org(code="GD", kind="province")
    gz = make_org(code="GZ", kind="city", parent=province)
    sz = make_org(code="SZ", kind="city", parent=province)
    make_customer(org=gz, number="13900000011")
    make_customer(org=sz, number="13900000012")
    local = make_staff(org=gz, perms=["crm.customer.view"])
    assert subscriber_by_number(actor=local, number=" 13900000011 ").number == "13900000011"
    assert subscriber_by_number(actor=local, number="13900000012") is None
    assert subscriber_by_number(actor=local, number="") is None
    assert subscriber_by_number(actor=make_staff(org=province), number="13900000012") is not None
    assert subscriber_by_number(actor="system", number="13900000011") is None
    assert subscriber_identify_caller(number="13900000012").customer.org == sz
