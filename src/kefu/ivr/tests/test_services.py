"""Editing flows: create, draft, nodes, publish (audited), seed, test calls."""

import copy

import pytest

from kefu.audit.models import AuditEntry
from kefu.contactcenter.models import Contact
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.testing import make_org, make_staff
from kefu.crm.models import Customer
from kefu.ivr.default_flow import DEFINITION
from kefu.ivr.models import Flow, FlowVersion, IvrSession
from kefu.ivr.services import flows, testcalls

from .conftest import VIP_PASSWORD, texts


def test_seed_is_idempotent_and_warns_only_about_missing_queues(db):
    flow = flows.ivr_seed()
    assert flows.ivr_seed() == flow and Flow.objects.count() == 1
    assert flow.current_version().number == 1 and flow.current_version().definition == DEFINITION
    check = flows.flow_check(flow.draft)
    assert check.ok and check.warnings == ["队列“GEN”（尚）不存在；来电将转入默认队列。",
                                           "队列“VIP”（尚）不存在；来电将转入默认队列。"]


def test_create_checks_hotline_name_and_duplicates(center):
    with pytest.raises(ValidationFailed):
        flows.flow_create(actor="test", hotline="10 086", name="x")
    with pytest.raises(ValidationFailed):
        flows.flow_create(actor="test", hotline="10010", name="")
    with pytest.raises(Conflict):
        flows.flow_create(actor="test", hotline="10086", name="again")
    flow = flows.flow_create(actor="test", hotline="10010", name="新热线")
    assert flow.current_version().number == 1 and flows.flow_check(flow.draft).ok


def test_publish_refuses_an_invalid_draft_and_audits_each_version(center):
    admin = make_staff(org=center.province, is_super=True)
    broken = copy.deepcopy(DEFINITION)
    broken["nodes"].append({"id": "orphan", "type": "hangup"})
    flows.flow_draft_save(actor=admin, flow=center.flow, definition=broken)
    with pytest.raises(ValidationFailed) as exc:
        flows.flow_publish(actor=admin, flow=center.flow)
    assert exc.value.details["problems"] == ["从起始节点无法到达节点“orphan”。"]
    assert FlowVersion.objects.filter(flow=center.flow).count() == 1
    flows.flow_node_delete(actor=admin, flow=center.flow, node_id="orphan")
    version = flows.flow_publish(actor=admin, flow=center.flow, note="去掉孤立节点")
    assert version.number == 2 and version.created_by == admin
    entry = AuditEntry.objects.filter(object_type="ivr.flow", object_id=str(center.flow.pk)).first()
    assert entry.changes == {"version": [1, 2]} and "去掉孤立节点" in entry.note and entry.actor == admin


def test_node_save_adds_replaces_and_renames_with_its_transitions(center):
    flow = center.flow
    flows.flow_node_save(actor="test", flow=flow, node={"id": "notice", "type": "play", "text": "通知", "next": "main"})
    with pytest.raises(Conflict):
        flows.flow_node_save(actor="test", flow=flow, node={"id": "notice", "type": "hangup"})
    with pytest.raises(ValidationFailed) as exc:
        flows.flow_node_save(actor="test", flow=flow, node={"id": "bad", "type": "menu", "prompt": "p"},
                             original_id="notice")
    assert any("超时" in p for p in exc.value.details["problems"])
    flows.flow_node_save(actor="test", flow=flow, original_id="welcome",
                         node={"id": "hello", "type": "play", "text": "您好", "next": "main"})
    flow.refresh_from_db()
    assert flow.draft["start"] == "hello"
    with pytest.raises(NotFound):
        flows.flow_node_save(actor="test", flow=flow, node={"id": "x", "type": "hangup"}, original_id="ghost")
    flows.flow_node_save(actor="test", flow=flow, original_id="agent",
                         node={"id": "human", "type": "transfer", "queue": "GEN"})
    flow.refresh_from_db()
    main = next(n for n in flow.draft["nodes"] if n["id"] == "main")
    assert main["choices"]["0"] == "human" and main["on_fail"] == "human"
    check = flows.flow_check(flow.draft)
    assert check.errors == ["从起始节点无法到达节点“notice”。"]


def test_reset_brings_the_draft_back_to_the_current_version(center):
    flows.flow_node_delete(actor="test", flow=center.flow, node_id="bye")
    flows.flow_draft_reset(actor="test", flow=center.flow)
    center.flow.refresh_from_db()
    assert center.flow.draft == center.flow.current_version().definition


def test_a_used_flow_cannot_be_deleted(center, call):
    from kefu.ivr.services.runtime import ivr_start

    other = flows.flow_create(actor="test", hotline="10010", name="x")
    flows.flow_delete(actor="test", flow=other)
    assert not Flow.objects.filter(hotline="10010").exists()
    ivr_start(contact=call("13900000001"))
    with pytest.raises(Conflict):
        flows.flow_delete(actor="test", flow=center.flow)


def test_a_test_call_is_marked_never_queued_and_ends_its_contact(center):
    tester = make_staff(org=center.province, perms=["ivr.flow.test"])
    session, commands = testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000001")
    assert session.is_test and session.started_by == tester and "查询本月话费请按1" in texts(commands)
    contact = session.contact
    assert contact.disposition == "ivr_test" and contact.external_id.startswith("ivr-test-")
    _s, commands = testcalls.testcall_input(actor=tester, session_id=session.pk, digits="9")
    assert commands[-1] == {"type": "queue", "queue": "VIP", "priority": 0}
    contact.refresh_from_db()
    assert contact.state == "ended" and contact.queue is None and contact.enqueued_at is None


def test_test_call_queries_are_audited_under_the_tester(center):
    tester = make_staff(org=center.province, perms=["ivr.flow.test"])
    session, _c = testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000001")
    testcalls.testcall_input(actor=tester, session_id=session.pk, digits="2")
    testcalls.testcall_input(actor=tester, session_id=session.pk, digits=VIP_PASSWORD + "#")
    reads = AuditEntry.objects.filter(actor=tester, object_type="crm.customer", object_id=str(center.vip.pk))
    assert reads.filter(note="service password verified").exists()


def test_test_calls_belong_to_their_tester_and_callers_to_the_testers_scope(center):
    tester = make_staff(org=center.province, perms=["ivr.flow.test"])
    session, _c = testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000001")
    intruder = make_staff(org=center.province, perms=["ivr.flow.test"])
    with pytest.raises(NotFound):
        testcalls.testcall_input(actor=intruder, session_id=session.pk, digits="1")
    branch = make_org(code="SZ", kind="city", parent=center.province)
    local = make_staff(org=branch, perms=["ivr.flow.test"])
    # A number outside the tester's scope calls exactly like an unknown number (a landline).
    s1, foreign = testcalls.testcall_start(actor=local, flow=center.flow, caller="13900000001")
    s2, commands = testcalls.testcall_start(actor=local, flow=center.flow, caller="02012345678")
    assert commands[-1]["type"] == "collect" and s2.contact.customer is None
    assert s1.contact.customer is None and s1.contact.subscriber is None and foreign == commands


def test_a_draft_can_be_tested_before_publishing_if_it_is_valid(center):
    tester = make_staff(org=center.province, perms=["ivr.flow.test"])
    flows.flow_node_save(actor="test", flow=center.flow, original_id="welcome",
                         node={"id": "welcome", "type": "play", "text": "草稿欢迎语", "next": "main"})
    session, commands = testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000002",
                                                 use_draft=True)
    assert "草稿欢迎语" in texts(commands) and session.version is None and session.draft
    _s, commands = testcalls.testcall_input(actor=tester, session_id=session.pk, digits="1")
    assert "38.00" in texts(commands)
    flows.flow_node_delete(actor="test", flow=center.flow, node_id="bye")
    with pytest.raises(ValidationFailed):
        testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000002", use_draft=True)


def test_hanging_up_a_test_call(center):
    tester = make_staff(org=center.province, perms=["ivr.flow.test"])
    session, _c = testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000002")
    session = testcalls.testcall_end(actor=tester, session_id=session.pk)
    assert session.finished and Contact.objects.get(pk=session.contact_id).state == "ended"
    assert IvrSession.objects.get(pk=session.pk).outcome == "hangup"
    with pytest.raises(ValidationFailed):
        testcalls.testcall_input(actor=tester, session_id=session.pk, digits="12a")


def test_lockout_in_a_test_call_is_real(center):
    tester = make_staff(org=center.province, perms=["ivr.flow.test"])
    session, _c = testcalls.testcall_start(actor=tester, flow=center.flow, caller="13900000001")
    testcalls.testcall_input(actor=tester, session_id=session.pk, digits="2")
    for wrong in ("111111#", "222222#", "333333#"):
        _s, commands = testcalls.testcall_input(actor=tester, session_id=session.pk, digits=wrong)
    assert "已被锁定" in texts(commands) and commands[-1]["type"] == "queue"
    assert Customer.objects.get(pk=center.vip.pk).service_password_is_locked
