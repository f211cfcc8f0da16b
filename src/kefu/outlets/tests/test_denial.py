"""Every outlets door denies the anonymous and the unpermitted caller (see core/testing.py).

Templates, opt-outs and outlets are one set for the whole center; messages belong to the organisation of their
customer, so a message of another branch answers like one that does not exist.
"""

import pytest

from kefu.contactcenter.services.contacts import contact_arrive
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params
from kefu.crm.tests.factories import make_customer
from kefu.outlets.models import Template
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.optouts import optout_create


def _build():
    w = denial_orgs()
    here = make_customer(org=w["city"], name="王伟", number="13900000001")
    there = make_customer(org=w["other_city"], name="李娜", number="13900000002")
    w["customer"] = here
    w["message"] = send_message(recipient="13900000001", outlet="sms", purpose="service", body="您好",
                                idempotency_key="denial-here", customer_id=here.pk).message
    w["other_message"] = send_message(recipient="13900000002", outlet="sms", purpose="service", body="您好",
                                      idempotency_key="denial-there", customer_id=there.pk).message
    w["template"] = Template.objects.get(code="bill_notice", outlet__code="sms")
    w["spare_template"] = Template.objects.get(code="arrears_notice")
    w["optout"] = optout_create(actor="test", address="13900000003")
    w["contact"] = contact_arrive(caller="13900000001", channel="sms", external_id="sms-denial")
    w["other_contact"] = contact_arrive(caller="13900000002", channel="sms", external_id="sms-denial-2")
    return w


world = denial_world(_build)

VIEW, SEND = "outlets.message.view", "outlets.message.send"
T_VIEW, T_EDIT = "outlets.template.view", "outlets.template.edit"
O_VIEW, O_EDIT = "outlets.optout.view", "outlets.optout.edit"
S_VIEW, S_EDIT = "outlets.outlet.view", "outlets.outlet.edit"
BODY = {"outlet": "sms", "recipient": "13900000001", "purpose": "service", "body": "您好"}
TEMPLATE = {"code": "bill_notice", "name": "月度话费通知", "body": "{{ month }}"}
OUTLET = {"active": True, "rate_per_second": 10, "burst": 20, "gateway": "recorded"}

API = [
    door("post", "/api/outlets/messages", SEND, body=BODY, headers={"Idempotency-Key": "d1"}),
    door("get", "/api/outlets/messages", VIEW),
    door("get", "/api/outlets/messages/{message}", VIEW, outside={"message": "other_message"}),
    door("post", "/api/outlets/contacts/{contact}/reply", SEND, body={"text": "您好"},
         outside={"contact": "other_contact"}),
    door("get", "/api/outlets/contacts/{contact}/sms", SEND, outside={"contact": "other_contact"}),
    door("get", "/api/outlets/templates", T_VIEW),
    door("post", "/api/outlets/templates", T_EDIT, body={**TEMPLATE, "outlet": "sms", "code": "new"}),
    door("get", "/api/outlets/templates/{template}", T_VIEW),
    door("put", "/api/outlets/templates/{template}", T_EDIT, body=TEMPLATE),
    door("delete", "/api/outlets/templates/{spare_template}", T_EDIT),
    door("post", "/api/outlets/templates/{template}/preview", T_VIEW, body={"variables": {"month": "5月", "amount": "1", "due": "20日"}}),
    door("get", "/api/outlets/opt-outs", O_VIEW),
    door("post", "/api/outlets/opt-outs", O_EDIT, body={"address": "13900000009"}),
    door("delete", "/api/outlets/opt-outs/{optout}", O_EDIT),
    door("get", "/api/outlets/outlets", S_VIEW),
    door("put", "/api/outlets/outlets/sms", S_EDIT, body=OUTLET),
    door("get", "/api/outlets/recorded-sms", S_VIEW),
]

UI = [
    door("get", "/outlets/", VIEW),
    door("get", "/outlets/messages/{message}/", VIEW, outside={"message": "other_message"}),
    door("get", "/outlets/templates/", T_VIEW),
    door("get", "/outlets/templates/new/", T_EDIT),
    door("get", "/outlets/templates/{template}/", T_VIEW),
    door("post", "/outlets/templates/{spare_template}/delete/", T_EDIT, status=(302,)),
    door("post", "/outlets/templates/{template}/preview/", T_VIEW, body={"variables": '{"month": "5月", "amount": "1", "due": "20日"}'}),
    door("get", "/outlets/opt-outs/", O_VIEW),
    door("post", "/outlets/opt-outs/{optout}/revoke/", O_EDIT, status=(302,)),
    door("get", "/outlets/outlets/", S_VIEW),
    door("get", "/outlets/outlets/sms/", S_EDIT),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
