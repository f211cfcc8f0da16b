from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password

from kefu.audit.models import AuditAction, AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, Locked, ValidationFailed
from kefu.core.testing import make_org, make_staff
from kefu.crm import services
from kefu.crm.models import Account, Customer, Subscriber
from kefu.crm.selectors import service_tier
from kefu.params.services import param_set

from .factories import credit_code, id_card, make_customer, mobile


def entries(obj, action=None):
    qs = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


# --- creating ---------------------------------------------------------------------


def test_create_customer_with_account_and_lines_audits_each_with_identity_masked(city):
    c = make_customer(org=city, name="陈静", certificate_no="440106199001011235", lines=2,
                      service_password="135790")
    assert c.accounts.count() == 1 and c.subscribers.count() == 2
    assert c.service_password_is_set and "135790" not in c.service_password
    assert check_password("135790", c.service_password)
    created = entries(c, AuditAction.CREATE).get()
    assert created.changes["certificate_no"] == [None, "4401**********1235"]
    assert created.changes["address"] == [None, "广州市天河区****"]
    assert created.changes["service_password"] == [None, "***"]
    assert "135790" not in str(created.changes)
    for sub in c.subscribers.all():
        assert entries(sub, AuditAction.CREATE).exists()
    assert entries(c.accounts.get(), AuditAction.CREATE).exists()


def test_duplicate_certificate_is_a_conflict(city, gz_customer):
    with pytest.raises(Conflict) as exc:
        make_customer(org=city, certificate_no=gz_customer.certificate_no)
    assert exc.value.code == "duplicate_certificate"


def test_duplicate_number_is_a_conflict_and_nothing_is_half_written(city, gz_customer):
    before = (Customer.objects.count(), Account.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Conflict) as exc:
        make_customer(org=city, number="13900000001")
    assert exc.value.code == "duplicate_number"
    assert (Customer.objects.count(), Account.objects.count(), AuditEntry.objects.count()) == before


def test_the_same_number_twice_in_one_request_is_a_conflict(city):
    with pytest.raises(Conflict):
        services.customer_create(
            actor="test", name="张三", certificate_type="id_card", certificate_no=id_card(), org=city,
            accounts=[services.AccountSpec(name="张三")],
            subscribers=[services.SubscriberSpec(number="13911112222", brand="gotone"),
                         services.SubscriberSpec(number="13911112222", brand="gotone")],
        )
    assert not Customer.objects.exists()


@pytest.mark.parametrize(("changes", "code"), [
    ({"name": "  "}, "required"),
    ({"name": "名" * 101}, "too_long"),
    ({"kind": "robot"}, "invalid_choice"),
    ({"vip_level": "gold"}, "vip_level_without_vip"),
    ({"certificate_type": "credit_code"}, "certificate_kind_mismatch"),
    ({"certificate_no": "440106199001011234"}, "invalid_certificate"),
    ({"number": "12345"}, "invalid_number"),
    ({"brand": "enterprise"}, "brand_kind_mismatch"),
    ({"service_password": "123456"}, "weak_service_password"),
])
def test_bad_input_is_refused_with_a_code_and_writes_nothing(city, changes, code):
    args = {"name": "张三", "certificate_type": "id_card", "certificate_no": id_card(), "number": mobile(),
            "brand": "mzone", "service_password": ""}
    args.update(changes)
    if args["certificate_type"] == "credit_code":
        args["certificate_no"] = credit_code()
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.customer_create(
            actor="test", name=args["name"], kind=args.get("kind", "individual"),
            certificate_type=args["certificate_type"], certificate_no=args["certificate_no"], org=city,
            vip_level=args.get("vip_level", ""), service_password=args["service_password"],
            accounts=[services.AccountSpec(name="张三")],
            subscribers=[services.SubscriberSpec(number=args["number"], brand=args["brand"])],
        )
    assert exc.value.code == code
    assert not Customer.objects.exists() and AuditEntry.objects.count() == audit_before


def test_subscribers_need_an_account(city):
    with pytest.raises(ValidationFailed) as exc:
        services.customer_create(actor="test", name="张三", certificate_type="id_card", certificate_no=id_card(),
                                 org=city, subscribers=[services.SubscriberSpec(number=mobile(), brand="mzone")])
    assert exc.value.code == "account_required"


def test_staff_cannot_place_a_customer_outside_their_scope_or_in_an_external_party(city, other_city, province):
    clerk = make_staff(org=city, perms=["crm.customer.edit"])
    with pytest.raises(ValidationFailed) as exc:
        make_customer(org=other_city, actor=clerk)
    assert exc.value.code == "org_not_found"
    boss = make_org(code="BOSS", kind="external", external_kind="billing", parent=province)
    with pytest.raises(ValidationFailed) as exc:
        make_customer(org=boss)
    assert exc.value.code == "invalid_org"
    make_customer(org=city, actor=clerk)  # own branch is fine


def test_customer_manager_must_be_active_staff_in_scope(city, other_city):
    clerk = make_staff(org=city, perms=["crm.customer.edit"])
    far_manager = make_staff(org=other_city)
    with pytest.raises(ValidationFailed) as exc:
        make_customer(org=city, actor=clerk, manager=far_manager)
    assert exc.value.code == "invalid_manager"
    near = make_staff(org=city)
    assert make_customer(org=city, actor=clerk, manager=near).manager == near


def test_enterprise_customer_with_credit_code_and_enterprise_lines(city):
    c = make_customer(org=city, kind="enterprise", name="广州市天河科技有限公司", brand="enterprise", lines=3)
    assert c.subscribers.filter(brand="enterprise").count() == 3


def test_account_numbers_are_generated_unique_or_checked(city, gz_customer):
    a = services.account_create(actor="test", customer=gz_customer, name="副账户", balance="12.5")
    assert len(a.account_no) == 12 and str(a.balance) == "12.50"
    with pytest.raises(Conflict):
        services.account_create(actor="test", customer=gz_customer, name="x", account_no=a.account_no)
    with pytest.raises(ValidationFailed):
        services.account_create(actor="test", customer=gz_customer, name="x", balance="lots")
    with pytest.raises(ValidationFailed):
        services.account_create(actor="test", customer=gz_customer, name="x", balance="1e20")


def test_a_line_must_be_billed_to_an_account_of_the_same_customer(gz_customer, sz_customer):
    with pytest.raises(ValidationFailed) as exc:
        services.subscriber_create(actor="test", customer=gz_customer, account=sz_customer.accounts.get(),
                                   number=mobile(), brand="gotone")
    assert exc.value.code == "account_mismatch"


# --- updating ---------------------------------------------------------------------


def test_update_bumps_the_version_and_audits_changes_masked(gz_customer):
    c = services.customer_update(actor="test", customer=gz_customer, version=1, name="王伟强",
                                 certificate_no="11010519491231002x")
    assert c.version == 2 and c.certificate_no == "11010519491231002X"
    upd = entries(c, AuditAction.UPDATE).get()
    assert upd.changes["name"] == ["王伟", "王伟强"]
    assert upd.changes["certificate_no"] == ["4401**********1235", "1101**********002X"]


def test_update_with_a_stale_version_is_a_conflict(gz_customer):
    services.customer_update(actor="test", customer=gz_customer, version=1, tier="vip", vip_level="gold")
    with pytest.raises(Conflict) as exc:
        services.customer_update(actor="test", customer=gz_customer, version=1, name="旧的")
    assert exc.value.code == "stale_version" and exc.value.details == {"current_version": 2}
    assert Customer.objects.get(pk=gz_customer.pk).name == "王伟"


def test_update_without_change_keeps_the_version_and_writes_no_entry(gz_customer):
    c = services.customer_update(actor="test", customer=gz_customer, version=1, name="王伟")
    assert c.version == 1 and not entries(c, AuditAction.UPDATE).exists()


def test_update_refuses_unknown_fields_and_a_taken_certificate(gz_customer, sz_customer):
    with pytest.raises(ValidationFailed):
        services.customer_update(actor="test", customer=gz_customer, version=1, service_password="x")
    with pytest.raises(Conflict):
        services.customer_update(actor="test", customer=gz_customer, version=1,
                                 certificate_no=sz_customer.certificate_no)


def test_a_customer_with_enterprise_lines_stays_an_enterprise(city):
    c = make_customer(org=city, kind="enterprise", name="佛山某厂", brand="enterprise")
    with pytest.raises(ValidationFailed):
        services.customer_update(actor="test", customer=c, version=1, kind="individual",
                                 certificate_type="id_card", certificate_no=id_card())


# --- service password --------------------------------------------------------------


def test_right_password_verifies_and_clears_earlier_wrong_tries(gz_customer):
    assert services.service_password_verify(actor="ivr", customer=gz_customer, password="000000").remaining_tries == 2
    result = services.service_password_verify(actor="ivr", customer=gz_customer, password="135790")
    assert result.verified
    assert Customer.objects.get(pk=gz_customer.pk).service_password_failures == 0


def test_three_wrong_tries_lock_and_the_lock_is_committed_and_audited(gz_customer):
    for left in (2, 1):
        r = services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")
        assert (r.verified, r.remaining_tries) == (False, left)
    with pytest.raises(Locked) as exc:
        services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")
    assert exc.value.status == 423
    c = Customer.objects.get(pk=gz_customer.pk)
    assert c.service_password_is_locked and c.service_password_failures == 3
    assert entries(c, AuditAction.LOCK).count() == 1
    with pytest.raises(Locked):  # even the right password is refused now
        services.service_password_verify(actor="ivr", customer=gz_customer, password="135790")


def test_lockout_threshold_is_the_parameter(gz_customer):
    param_set(actor="test", key="crm.service_password.max_failures", raw="5")
    for _ in range(4):
        services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")
    with pytest.raises(Locked):
        services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")


def test_unlock_and_reset_are_audited_and_unlock_keeps_the_password(gz_customer, admin):
    for _ in range(2):
        services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")
    with pytest.raises(Locked):
        services.service_password_verify(actor="ivr", customer=gz_customer, password="000000")
    services.service_password_unlock(actor=admin, customer=gz_customer)
    assert entries(gz_customer, AuditAction.UNLOCK).get().actor == admin
    assert services.service_password_verify(actor="ivr", customer=gz_customer, password="135790").verified

    clock.freeze(clock.now() + timedelta(days=1))
    c = services.service_password_reset(actor=admin, customer=gz_customer, password="246801")
    assert c.service_password_changed_at == clock.now()
    reset = entries(c, AuditAction.UPDATE).get()
    assert reset.changes == {"service_password": ["***", "***"]} and "246801" not in str(reset.changes)
    assert services.service_password_verify(actor="ivr", customer=c, password="246801").verified
    assert not services.service_password_verify(actor="ivr", customer=c, password="135790").verified


def test_unlock_of_an_unlocked_password_changes_nothing(gz_customer, admin):
    services.service_password_unlock(actor=admin, customer=gz_customer)
    assert not entries(gz_customer, AuditAction.UNLOCK).exists()


def test_reset_validates_and_verify_needs_a_password_set(gz_customer, sz_customer, admin):
    with pytest.raises(ValidationFailed):
        services.service_password_reset(actor=admin, customer=gz_customer, password="111111")
    with pytest.raises(ValidationFailed) as exc:
        services.service_password_verify(actor="ivr", customer=sz_customer, password="135790")
    assert exc.value.code == "service_password_not_set"


# --- service tier -------------------------------------------------------------------


def test_service_tier_vip_first_then_gotone_line_then_other(city):
    vip = make_customer(org=city, tier="vip", vip_level="gold", brand="easyown")
    assert service_tier(vip) == "vip"
    assert service_tier(vip, vip.subscribers.get()) == "vip"
    mixed = make_customer(org=city, brand="mzone")
    go = services.subscriber_create(actor="test", customer=mixed, account=mixed.accounts.get(), number=mobile(),
                                    brand="gotone")
    assert service_tier(mixed, go) == "gotone"
    assert service_tier(mixed, mixed.subscribers.get(brand="mzone")) == "other"
    assert service_tier(mixed) == "gotone"
    Subscriber.objects.filter(pk=go.pk).update(status="closed")
    assert service_tier(mixed) == "other"
