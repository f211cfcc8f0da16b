"""Every crm door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py)."""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff

from .factories import make_customer


def _build():
    w = denial_orgs()
    w["customer"] = make_customer(org=w["city"], name="王伟", number="13900000001", service_password="135790")
    w["other_customer"] = make_customer(org=w["other_city"], name="李娜", number="13800000002",
                                        service_password="135790")
    w["account"] = w["customer"].accounts.get()
    w["version"] = w["customer"].version
    w["manager"] = make_staff(org=w["city"], employee_no="gz-am", name="客户经理")
    w["other_manager"] = make_staff(org=w["other_city"], employee_no="sz-am", name="深圳经理")
    w["manager_no"], w["other_manager_no"] = "gz-am", "sz-am"
    return w


world = denial_world(_build)

VIEW, EDIT, REVEAL, RESET = "crm.customer.view", "crm.customer.edit", "crm.customer.reveal", "crm.password.reset"
CUSTOMER = {"customer": "other_customer"}

API = [
    door("get", "/api/crm/customers", VIEW),
    door("post", "/api/crm/customers", EDIT, outside={"city": "other_city"},
         body={"name": "张三", "certificate_no": "440106199001011235", "org_id": "{city}",
               "accounts": [{"name": "张三"}], "subscribers": [{"number": "13700000009", "brand": "mzone"}]}),
    door("post", "/api/crm/customers", EDIT, outside={"manager": "other_manager"},
         body={"name": "张三", "certificate_no": "440106199001011235", "org_id": "{city}", "manager_id": "{manager}"}),
    door("get", "/api/crm/customers/{customer}", VIEW, outside=CUSTOMER),
    door("patch", "/api/crm/customers/{customer}", EDIT, body={"version": "{version}", "name": "王伟伟"},
         outside=CUSTOMER),
    door("patch", "/api/crm/customers/{customer}", EDIT, body={"version": "{version}", "org_id": "{city}"},
         outside={"city": "other_city"}),
    door("post", "/api/crm/customers/{customer}/accounts", EDIT, body={"name": "王伟二号"}, outside=CUSTOMER),
    door("post", "/api/crm/customers/{customer}/subscribers", EDIT, outside=CUSTOMER,
         body={"account_id": "{account}", "number": "13700000008", "brand": "mzone"}),
    door("post", "/api/crm/customers/{customer}/reveal", VIEW, REVEAL, outside=CUSTOMER),
    door("post", "/api/crm/customers/{customer}/service-password/verify", VIEW, body={"password": "135790"},
         outside=CUSTOMER),
    door("post", "/api/crm/customers/{customer}/service-password/unlock", RESET, outside=CUSTOMER),
    door("post", "/api/crm/customers/{customer}/service-password/reset", RESET, body={"password": "246801"},
         outside=CUSTOMER),
]

UI = [
    door("get", "/crm/", VIEW),
    door("get", "/crm/?q=13900000001", VIEW),
    door("get", "/crm/customers/new/", EDIT),
    door("post", "/crm/customers/new/", EDIT, outside={"manager_no": "other_manager_no"}, status=(302,),
         body={"name": "张三", "kind": "individual", "certificate_type": "id_card", "tier": "standard",
               "certificate_no": "440106199001011235", "org": "{city}", "account_name": "张三", "pay_method": "cash",
               "manager_employee_no": "{manager_no}"}),
    door("get", "/crm/customers/{customer}/", VIEW, outside=CUSTOMER),
    door("get", "/crm/customers/{customer}/edit/", EDIT, outside=CUSTOMER),
    door("post", "/crm/customers/{customer}/reveal/", VIEW, REVEAL, outside=CUSTOMER),
    door("get", "/crm/customers/{customer}/accounts/new/", EDIT, outside=CUSTOMER),
    door("get", "/crm/customers/{customer}/subscribers/new/", EDIT, outside=CUSTOMER),
    door("post", "/crm/customers/{customer}/service-password/unlock/", RESET, status=(302,), outside=CUSTOMER),
    door("post", "/crm/customers/{customer}/service-password/reset/", RESET, status=(302,), outside=CUSTOMER,
         body={"password": "246801", "confirm": "246801"}),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
