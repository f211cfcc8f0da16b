"""The IVR's notices node: a caller switches kinds of notice on and off by key (信息发布定制 by phone)."""

import copy

from kefu.audit.models import AuditEntry
from kefu.ivr.default_flow import DEFINITION
from kefu.ivr.models import IvrSession
from kefu.ivr.services import flows
from kefu.ivr.services.runtime import ivr_input, ivr_start, ivr_timeout
from kefu.notices.models import Subscription

from .conftest import texts


def _with_notices_on_key_6(center):
    definition = copy.deepcopy(DEFINITION)
    main = next(n for n in definition["nodes"] if n["id"] == "main")
    main["choices"]["6"] = "my_notices"
    definition["nodes"].append({"id": "my_notices", "type": "notices", "prompt": "通知定制。", "timeout": 8, "next": "main"})
    flows.flow_publish(actor="test", flow=center.flow, definition=definition)


def test_a_caller_hears_the_kinds_switches_promotions_off_and_goes_back(center, call):
    _with_notices_on_key_6(center)
    contact = call("13900000001")
    ivr_start(contact=contact)
    commands = ivr_input(contact=contact, digits="6")
    said = texts(commands)
    assert "通知定制" in said and "按6：业务推广，当前已订阅" in said and commands[-1]["type"] == "collect"
    assert IvrSession.objects.get(contact=contact).wait == "notices"

    said = texts(ivr_input(contact=contact, digits="6"))
    assert "业务推广：已退订" in said and "按6：业务推广，当前已退订" in said
    row = Subscription.objects.get(number="13900000001", kind="promotion")
    assert (row.subscribed, row.source, row.customer) == (False, "ivr", center.vip)
    assert AuditEntry.objects.filter(object_type="notices.subscription", actor_label="ivr").count() == 1

    assert "没有这个按键选项" in texts(ivr_input(contact=contact, digits="9"))
    commands = ivr_input(contact=contact, digits="#")
    assert "查询本月话费请按1" in texts(commands)  # back to the main menu
    ivr_input(contact=contact, digits="6")
    assert "查询本月话费请按1" in texts(ivr_timeout(contact=contact))  # silence goes on too


def test_a_call_from_a_fixed_line_goes_on_without_choices(center, call):
    _with_notices_on_key_6(center)
    contact = call("02088888888")
    ivr_start(contact=contact)
    said = texts(ivr_input(contact=contact, digits="6"))
    assert "只能使用手机号码设置通知" in said and not Subscription.objects.exists()
