"""The IVR runtime as the CTI adapter drives it: start, keys, silence."""

import pytest

from kefu.billing.selectors import period_shift
from kefu.contactcenter.models import Contact, ContactEvent
from kefu.core.errors import NotFound
from kefu.crm.models import Customer
from kefu.ivr.models import IvrSession
from kefu.ivr.services import flows
from kefu.ivr.services.runtime import ivr_input, ivr_start, ivr_timeout
from kefu.outlets.models import Message
from kefu.outlets.services.sending import messages_dispatch
from kefu.params.services import param_set

from .conftest import PLAIN_PASSWORD, VIP_PASSWORD, texts


def _main(call, caller="13900000001"):
    contact = call(caller)
    ivr_start(contact=contact)
    return contact


def _month_words(period):
    return f"{int(period[:4])}年{int(period[4:])}月"


def test_start_plays_the_welcome_and_the_main_menu(center, call):
    contact = call("13900000001")
    commands = ivr_start(contact=contact)
    assert [c["type"] for c in commands] == ["play", "play", "collect"]
    assert "欢迎致电中国移动10086" in commands[0]["text"] and "查询本月话费请按1" in commands[1]["text"]
    assert commands[2] == {"type": "collect", "max_digits": 1, "timeout": 8, "terminator": ""}
    contact.refresh_from_db()
    assert contact.ivr_path == ["welcome", "main"]
    session = IvrSession.objects.get(contact=contact)
    assert session.node == "main" and session.wait == "menu" and session.version.number == 1
    assert ContactEvent.objects.filter(contact=contact, kind="ivr_start", data__flow="10086").exists()


def test_own_bill_needs_no_password_and_is_recorded_as_an_ivr_query(center, call):
    contact = _main(call)
    commands = ivr_input(contact=contact, digits="1")
    said = texts(commands)
    assert "您本月话费为 128.50 元" in said and "账户余额为 35.20 元" in said
    assert "短信" in commands[-2]["text"] and commands[-1]["type"] == "collect"  # the SMS / e-mail offer
    event = ContactEvent.objects.get(contact=contact, kind="ivr_query")
    assert event.data["query"] == "bill_current" and event.data["own"] is True
    contact.refresh_from_db()
    assert contact.ivr_path == ["welcome", "main", "q_bill", "offer"]


def test_detailed_bill_asks_the_password_then_the_month(center, call):
    contact = _main(call)
    commands = ivr_input(contact=contact, digits="2")
    assert "请输入您的6位服务密码" in texts(commands)
    assert commands[-1] == {"type": "collect", "max_digits": 6, "timeout": 10, "terminator": "#"}
    commands = ivr_input(contact=contact, digits=VIP_PASSWORD + "#")
    assert "密码验证成功" in texts(commands) and "202405" in texts(commands)
    last = period_shift(center.period, -2)
    commands = ivr_input(contact=contact, digits=last + "#")
    said = texts(commands)
    assert f"您{_month_words(last)}的账单总额为 108.00 元" in said
    assert "套餐及固定费 88.00 元" in said and "语音通话费 12.30 元" in said and "漫游费 7.70 元" in said
    contact.refresh_from_db()
    assert contact.identity_verified is True


def test_detailed_bill_of_a_month_without_a_bill_and_a_bad_month(center, call):
    contact = _main(call)
    ivr_input(contact=contact, digits="2")
    ivr_input(contact=contact, digits=VIP_PASSWORD)
    commands = ivr_input(contact=contact, digits="202413#")
    assert "不是有效的月份" in texts(commands) and commands[-1]["max_digits"] == 6
    commands = ivr_input(contact=contact, digits="201001#")
    assert "暂无账单" in texts(commands)


def test_three_wrong_passwords_lock_it_and_the_call_goes_to_an_agent(center, call):
    contact = _main(call)
    ivr_input(contact=contact, digits="2")
    assert "还可以输入 2 次" in texts(ivr_input(contact=contact, digits="000000#"))
    assert "还可以输入 1 次" in texts(ivr_input(contact=contact, digits="000001#"))
    commands = ivr_input(contact=contact, digits="000002#")
    assert "已被锁定" in texts(commands)
    assert commands[-1] == {"type": "queue", "queue": "GEN", "priority": 0}
    assert Customer.objects.get(pk=center.vip.pk).service_password_is_locked
    results = list(ContactEvent.objects.filter(contact=contact, kind="ivr_password")
                   .values_list("data__result", flat=True))
    assert results == ["wrong", "wrong", "locked"]
    # The next call hears at once that the password is locked.
    again = _main(call)
    assert "已被锁定" in texts(ivr_input(contact=again, digits="2"))


def test_the_right_password_after_a_wrong_one_resets_the_count(center, call):
    contact = _main(call)
    ivr_input(contact=contact, digits="2")
    ivr_input(contact=contact, digits="999999#")
    assert "密码验证成功" in texts(ivr_input(contact=contact, digits=VIP_PASSWORD + "#"))
    assert Customer.objects.get(pk=center.vip.pk).service_password_failures == 0


def test_a_wrong_key_is_retried_and_three_end_at_an_agent(center, call):
    contact = _main(call, "13900000002")
    commands = ivr_input(contact=contact, digits="7")
    assert "您的输入有误" in texts(commands) and "查询本月话费请按1" in texts(commands)
    ivr_input(contact=contact, digits="8")
    commands = ivr_input(contact=contact, digits="*")
    assert commands[-1]["type"] == "queue" and commands[-1]["queue"] == "GEN"
    contact.refresh_from_db()
    assert contact.state == "queued" and contact.queue == center.gen and contact.ivr_path[-1] == "agent"
    assert ContactEvent.objects.filter(contact=contact, kind="ivr_failed", data__node="main").exists()
    assert IvrSession.objects.get(contact=contact).outcome == "transfer"


def test_silence_is_retried_then_goes_to_an_agent(center, call):
    contact = _main(call, "13900000002")
    commands = ivr_timeout(contact=contact)
    assert "没有收到您的按键" in texts(commands) and commands[-1]["type"] == "collect"
    ivr_timeout(contact=contact)
    assert ivr_timeout(contact=contact)[-1]["type"] == "queue"


def test_key_9_sends_vip_customers_to_the_vip_queue_and_others_to_gen_one_level_up(center, call):
    vip = _main(call, "13900000001")
    commands = ivr_input(contact=vip, digits="9")
    assert commands[-1] == {"type": "queue", "queue": "VIP", "priority": 0}
    assert "正在为您转接人工服务" in texts(commands)
    plain = _main(call, "13900000002")
    assert ivr_input(contact=plain, digits="9")[-1] == {"type": "queue", "queue": "GEN", "priority": 1}
    plain.refresh_from_db()
    assert plain.priority == 1 and plain.queue == center.gen and plain.enqueued_at is not None
    vip.refresh_from_db()
    assert vip.queue == center.vip_q and ContactEvent.objects.filter(contact=vip, kind="queued").exists()


def test_key_0_sends_everyone_to_gen(center, call):
    contact = _main(call, "13900000001")
    assert ivr_input(contact=contact, digits="0")[-1] == {"type": "queue", "queue": "GEN", "priority": 0}


def test_a_missing_queue_falls_back_to_the_default_queue(center, call):
    center.vip_q.delete()
    contact = _main(call, "13900000001")
    assert ivr_input(contact=contact, digits="9")[-1]["queue"] == "GEN"


def test_points_payments_balance_and_arrears_are_spoken(center, call):
    contact = _main(call)
    said = texts(ivr_input(contact=contact, digits="3"))
    assert "您的可用积分为 2300 分" in said and "累计获得 3000 分" in said and "已过期 200 分" in said
    assert "本月已兑换 500 分" in said
    contact = _main(call)
    said = texts(ivr_input(contact=contact, digits="4"))
    assert "您的账户余额为 35.20 元" in said
    assert "您目前欠费 108.00 元" in said and "1 个月" in said
    assert "微信支付缴费 100.30 元" in said
    assert list(ContactEvent.objects.filter(contact=contact, kind="ivr_query")
            .values_list("data__query", flat=True)) == ["balance", "arrears", "payments"]


def test_a_customer_without_bills_or_arrears_hears_so(center, call):
    contact = _main(call, "13600000004")
    said = texts(ivr_input(contact=contact, digits="4"))
    assert "您目前没有欠费" in said and "近期没有缴费记录" in said
    contact = _main(call, "13600000004")
    assert "暂无账单" in texts(ivr_input(contact=contact, digits="1"))


def test_a_caller_who_is_not_a_subscriber_is_sent_to_an_agent(center, call):
    contact = _main(call, "02012345678")
    commands = ivr_input(contact=contact, digits="1")
    assert "不是本网用户" in texts(commands) and commands[-1]["type"] == "queue"


def _complaint(center, customer, **kw):
    from kefu.workorders.services.orders import workorder_create

    order, _created = workorder_create(
        actor=center.agent, kind="complaint", title="信号差", description="家里没信号", customer=customer,
        fields={"complainant_type": "ordinary", "category": "network", "level": "general", "source": "customer"},
        **kw)
    return order


def test_work_order_progress_of_the_callers_latest_open_order(center, call):
    contact = _main(call, "13900000002")
    ivr_input(contact=contact, digits="5")
    assert "没有在办的工单" in texts(ivr_input(contact=contact, digits="1"))
    order = _complaint(center, center.plain)
    contact = _main(call, "13900000002")
    ivr_input(contact=contact, digits="5")
    said = texts(ivr_input(contact=contact, digits="1"))
    assert order.serial in said and "投诉" in said and "当前环节" in said


def test_work_order_by_serial_of_another_customer_needs_that_customers_password(center, call):
    own = _complaint(center, center.plain)
    foreign = _complaint(center, center.other)
    contact = _main(call, "13900000002")
    ivr_input(contact=contact, digits="5")
    ivr_input(contact=contact, digits="2")
    said = texts(ivr_input(contact=contact, digits=own.serial[2:] + "#"))
    assert own.serial in said and "服务密码" not in said  # own order: no password
    contact = _main(call, "13900000002")
    ivr_input(contact=contact, digits="5")
    ivr_input(contact=contact, digits="2")
    assert "没有找到该编号的工单" in texts(ivr_input(contact=contact, digits="20000101000001#"))
    commands = ivr_input(contact=contact, digits=foreign.serial[2:] + "#")
    assert "13700000003" in texts(commands) and "服务密码" in texts(commands)
    assert foreign.serial not in texts(commands)
    said = texts(ivr_input(contact=contact, digits="112233#"))
    assert foreign.serial in said


def test_offer_sends_the_results_through_the_outlets_by_sms_or_email(center, call):
    from django.core import mail

    contact = _main(call)
    ivr_input(contact=contact, digits="1")
    commands = ivr_input(contact=contact, digits="1")
    assert "短信" in texts(commands) and "返回主菜单请按星号键" in texts(commands)
    sms = Message.objects.get()
    assert (sms.outlet.code, sms.recipient, sms.status, sms.purpose) == ("sms", "13900000001", "queued", "ivr_result")
    assert "128.50" in sms.body and sms.contact == contact and sms.customer == center.vip
    ivr_input(contact=contact, digits="*")
    ivr_input(contact=contact, digits="3")
    ivr_input(contact=contact, digits="2")
    email = Message.objects.get(outlet__code="email")
    assert email.recipient == "13900000001@139.com" and "积分" in email.body and "128.50" not in email.body
    messages_dispatch(worker="test")
    sms.refresh_from_db()
    email.refresh_from_db()
    assert sms.status == "delivered" and email.status == "sent"
    assert mail.outbox[0].to == ["13900000001@139.com"] and "积分" in mail.outbox[0].body


def test_key_3_at_the_offer_has_the_results_read_in_a_call_back(center, call):
    from kefu.contactcenter.models import Dial

    contact = _main(call)
    ivr_input(contact=contact, digits="1")
    assert "回电" in texts(ivr_input(contact=contact, digits="3"))
    message = Message.objects.get()
    assert (message.outlet.code, message.recipient, message.purpose) == ("call", "13900000001", "ivr_result")
    messages_dispatch(worker="test")
    dial = Dial.objects.get(dial_id=Message.objects.get().gateway_ref)
    assert dial.purpose == "outlet_call" and dial.number == "13900000001" and "128.50" in dial.script["text"]


def test_a_caller_who_opted_out_of_ivr_results_hears_that_nothing_is_sent(center, call):
    from kefu.outlets.services.optouts import optout_create

    optout_create(actor="test", address="13900000001", purpose="ivr_result")
    contact = _main(call)
    ivr_input(contact=contact, digits="1")
    said = texts(ivr_input(contact=contact, digits="1"))
    assert "退订" in said and Message.objects.get().status == "suppressed"


def test_any_other_key_or_silence_at_the_offer_sends_nothing_and_hash_hangs_up(center, call):
    contact = _main(call)
    ivr_input(contact=contact, digits="1")
    commands = ivr_timeout(contact=contact)
    assert "返回主菜单请按星号键" in texts(commands) and not Message.objects.exists()
    commands = ivr_input(contact=contact, digits="#")
    assert commands[-1] == {"type": "hangup"} and "再见" in texts(commands)
    session = IvrSession.objects.get(contact=contact)
    assert session.finished and session.outcome == "hangup"
    assert ivr_input(contact=contact, digits="1") == [] and ivr_timeout(contact=contact) == []
    contact.refresh_from_db()
    assert contact.state == "ivr"  # the CTI adapter ends the contact, not the IVR


def test_a_running_call_keeps_its_version_after_a_new_one_is_published(center, call):
    contact = _main(call)
    draft = center.flow.draft
    choices = next(n for n in draft["nodes"] if n["id"] == "main")["choices"]
    choices["1"], choices["8"] = "agent", "q_bill"
    flows.flow_publish(actor="test", flow=center.flow, definition=draft)
    assert "128.50" in texts(ivr_input(contact=contact, digits="1"))  # v1: 1 is the bill
    newer = _main(call)
    assert ivr_input(contact=newer, digits="1")[-1]["type"] == "queue"  # v2: 1 is an agent
    assert IvrSession.objects.get(contact=newer).version.number == 2


def test_a_number_without_a_flow_goes_to_the_default_queue(center, call):
    contact = call("13900000002", called="10080")
    assert ivr_start(contact=contact) == [{"type": "queue", "queue": "GEN", "priority": 2}]
    contact.refresh_from_db()
    assert contact.state == "queued" and not IvrSession.objects.filter(contact=contact).exists()
    param_set(actor="test", key="ivr.default_queue", raw="NOPE")
    other = call("13900000002", called="10080")
    assert [c["type"] for c in ivr_start(contact=other)] == ["play", "hangup"]


def test_an_inactive_flow_is_skipped(center, call):
    flows.flow_update(actor="test", flow=center.flow, active=False)
    assert ivr_start(contact=call("13900000002"))[-1]["type"] == "queue"


def test_start_twice_repeats_the_prompt_and_unknown_contacts_are_not_found(center, call):
    contact = _main(call)
    again = ivr_start(contact=contact)
    assert "查询本月话费请按1" in texts(again) and again[-1]["type"] == "collect"
    assert IvrSession.objects.filter(contact=contact).count() == 1
    with pytest.raises(NotFound):
        ivr_input(contact=999999, digits="1")


def test_english_when_the_parameter_says_so(center, call):
    param_set(actor="test", key="ivr.language", raw="en")
    contact = _main(call)
    assert "fees this month so far 128.50 yuan" in texts(ivr_input(contact=contact, digits="1"))


# --- a flow that asks for another number -----------------------------------------------------

ASK_FLOW = {
    "start": "menu",
    "nodes": [
        {"id": "menu", "type": "menu", "prompt": "查询其他号码话费请按1，验证后查询请按2", "choices": {"1": "ask", "2": "num"},
         "timeout": 5, "max_retries": 2, "on_fail": "bye"},
        {"id": "ask", "type": "query", "query": "bill_current", "subject": "ask", "timeout": 5, "max_retries": 2,
         "next": "bye", "on_fail": "bye"},
        {"id": "num", "type": "collect", "prompt": "请输入号码", "max_digits": 11, "terminator": "#",
         "variable": "number", "timeout": 5, "max_retries": 2, "next": "check", "on_fail": "bye"},
        {"id": "check", "type": "verify_password", "subject": "var:number", "timeout": 5, "max_retries": 2,
         "next": "points", "on_fail": "bye"},
        {"id": "points", "type": "query", "query": "points", "subject": "var:number", "timeout": 5,
         "max_retries": 2, "next": "bye", "on_fail": "bye"},
        {"id": "bye", "type": "hangup", "text": "再见"},
    ],
}


@pytest.fixture
def ask_flow(center):
    return flows.flow_create(actor="test", hotline="10011", name="其他号码", definition=ASK_FLOW)


def test_another_number_typed_in_needs_its_own_password(center, call, ask_flow):
    contact = call("13900000002", called="10011")
    ivr_start(contact=contact)
    ivr_input(contact=contact, digits="1")
    commands = ivr_input(contact=contact, digits="13900000001#")
    assert "13900000001的6位服务密码" in texts(commands) and "128.50" not in texts(commands)
    # The caller's own password does not open someone else's number.
    assert "密码错误" in texts(ivr_input(contact=contact, digits=PLAIN_PASSWORD + "#"))
    said = texts(ivr_input(contact=contact, digits=VIP_PASSWORD + "#"))
    assert "号码13900000001本月话费为 128.50 元" in said
    contact.refresh_from_db()
    assert contact.identity_verified is False  # verified someone else, not the caller


def test_typing_ones_own_number_needs_no_password(center, call, ask_flow):
    contact = call("13900000001", called="10011")
    ivr_start(contact=contact)
    ivr_input(contact=contact, digits="1")
    assert "您本月话费为 128.50 元" in texts(ivr_input(contact=contact, digits="13900000001#"))


def test_an_unknown_number_is_asked_again(center, call, ask_flow):
    contact = call("13900000002", called="10011")
    ivr_start(contact=contact)
    ivr_input(contact=contact, digits="1")
    commands = ivr_input(contact=contact, digits="13333333333#")
    assert "不是本网用户" in texts(commands) and commands[-1]["max_digits"] == 11


def test_collect_then_verify_then_query_by_variable(center, call, ask_flow):
    contact = call("13900000002", called="10011")
    ivr_start(contact=contact)
    ivr_input(contact=contact, digits="2")
    commands = ivr_input(contact=contact, digits="13900000001#")
    assert IvrSession.objects.get(contact=contact).variables == {"number": "13900000001"}
    assert "13900000001的6位服务密码" in texts(commands)
    said = texts(ivr_input(contact=contact, digits=VIP_PASSWORD + "#"))
    assert "号码13900000001的可用积分为 2300 分" in said
    assert IvrSession.objects.get(contact=contact).verified_customer == center.vip


def test_a_customer_without_a_password_cannot_be_verified(center, call, ask_flow):
    contact = call("13900000002", called="10011")
    ivr_start(contact=contact)
    ivr_input(contact=contact, digits="1")
    commands = ivr_input(contact=contact, digits="13600000004#")
    assert "尚未设置服务密码" in texts(commands) and commands[-1] == {"type": "hangup"}


def test_the_runtime_accepts_a_contact_id(center, call):
    contact = call("13900000001")
    assert ivr_start(contact=contact.pk)[-1]["type"] == "collect"
    assert Contact.objects.get(pk=contact.pk).ivr_path == ["welcome", "main"]


def test_keys_after_the_caller_hung_up_change_nothing(center, call):
    from kefu.contactcenter.services.contacts import contact_end

    contact = _main(call)
    contact_end(contact_id=contact.pk, by_switch=True)
    assert ivr_input(contact=contact, digits="9") == []
    session = IvrSession.objects.get(contact=contact)
    assert session.outcome == "abandoned" and session.finished
    assert ivr_start(contact=contact) == []
    contact.refresh_from_db()
    assert contact.state == "ended" and contact.queue is None


def test_a_line_gone_since_the_query_began_is_answered_as_not_a_subscriber(center, call):
    contact = _main(call)
    ivr_input(contact=contact, digits="2")
    ivr_input(contact=contact, digits=VIP_PASSWORD)
    session = IvrSession.objects.get(contact=contact)
    session.pending = {**session.pending, "subscriber": 999999}  # the line named when the node was entered
    session.save(update_fields=["pending"])
    commands = ivr_input(contact=contact, digits=period_shift(center.period, -2) + "#")
    assert "该号码不是本网用户" in texts(commands) and "短信" not in texts(commands)
    assert not ContactEvent.objects.filter(contact=contact, kind="ivr_query").exists()


def test_a_tester_typing_a_number_outside_their_scope_hears_it_is_not_a_subscriber(center, ask_flow):
    """In a test call a member of staff types the numbers, so they are looked up in the tester's scope."""
    from kefu.core.testing import make_org, make_staff
    from kefu.crm.tests.factories import make_customer
    from kefu.ivr.services import testcalls

    branch = make_org(code="GZ", kind="city", parent=center.province)
    make_customer(org=branch, name="广州本地", number="13800000011", service_password="112244")
    tester = make_staff(org=branch, perms=["ivr.flow.test"])
    session, _c = testcalls.testcall_start(actor=tester, flow=ask_flow, caller="02012345678")
    testcalls.testcall_input(actor=tester, session_id=session.pk, digits="1")
    _s, foreign = testcalls.testcall_input(actor=tester, session_id=session.pk, digits="13900000001#")
    assert "不是本网用户" in texts(foreign) and "服务密码" not in texts(foreign)
    _s, local = testcalls.testcall_input(actor=tester, session_id=session.pk, digits="13800000011#")
    assert "13800000011的6位服务密码" in texts(local)
