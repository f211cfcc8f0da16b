"""Forwarding inside Kefu (coordination orders, answered back along the chain)
and outside (signed webhooks with retries), with a real local HTTP receiver."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from kefu.core import clock
from kefu.core.testing import make_org, make_staff
from kefu.params.services import param_set
from kefu.workorders.models import Delivery, Endpoint, Forward, Notice, State, WorkOrder, WorkOrderLink
from kefu.workorders.services.forwarding import forward_answer_external, verify_signature
from kefu.workorders.services.timers import timers_sweep

from .conftest import HANDLER_PERMS, act, complaint


@pytest.fixture
def receiver():
    """A tiny HTTP server standing in for a handset maker's system."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_port}/kefu-hook", got
    server.shutdown()


def _at_dispatch(center):
    order = complaint(center)
    act(center.agent, order, "accept")
    order.refresh_from_db()
    return order


def test_td_chain_base_province_to_home_province_and_back(center):
    """Base province (GD) → home province (BJ) → BJ's city branch; each answer returns one link."""
    hq = make_org(code="HQ", kind="hq")
    bj = make_org(code="BJ", kind="province", name="北京省客服中心", parent=hq)
    bj_city = make_org(code="BJ-CY", kind="city", name="北京朝阳分公司", parent=bj)
    bj_handler = make_staff(org=bj, perms=HANDLER_PERMS, employee_no="BJ01")
    cy_handler = make_staff(org=bj_city, perms=HANDLER_PERMS, employee_no="CY01")

    order = _at_dispatch(center)
    act(center.backoffice, order, "forward", text="漫游用户在北京，请归属省核实", to_org=bj)
    order.refresh_from_db()
    assert order.state == State.FORWARDED
    fwd = Forward.objects.get(order=order)
    child = fwd.child_order
    assert child.kind == "coordination" and child.holder_org == bj and fwd.archive_org == center.province
    assert WorkOrderLink.objects.filter(src=child, dst=order, kind="child_of").exists()

    act(bj_handler, child, "accept")
    act(bj_handler, child, "forward", text="请朝阳分公司核查基站", to_org=bj_city)
    grandchild = Forward.objects.get(order=child).child_order
    assert Forward.objects.get(order=child).parent == fwd

    act(cy_handler, grandchild, "accept")
    act(cy_handler, grandchild, "process", text="基站故障已修复")
    act(cy_handler, grandchild, "answer", text="基站故障已于今日修复")
    child.refresh_from_db()
    assert child.state == State.OPEN  # the answer came back to BJ
    assert Notice.objects.filter(order=child, kind="answered").exists()
    order.refresh_from_db()
    assert order.state == State.FORWARDED  # GD still waits for BJ

    act(bj_handler, child, "process", text="核实为基站故障")
    act(bj_handler, child, "answer", text="北京核实：基站故障已修复，建议退费")
    order.refresh_from_db()
    fwd.refresh_from_db()
    assert order.state == State.OPEN and fwd.state == "answered"
    assert "建议退费" in fwd.answer_text
    assert order.steps.filter(action="answer").exists()


def test_external_forward_is_signed_delivered_and_answered(center, receiver, django_capture_on_commit_callbacks):
    url, got = receiver
    maker = make_org(code="HW", kind="external", external_kind="handset_maker", name="华为终端客服")
    Endpoint.objects.create(org=maker, url=url, secret="s3cret")
    order = _at_dispatch(center)
    act(center.backoffice, order, "forward", text="终端重启问题，请厂商分析", to_org=maker)
    with django_capture_on_commit_callbacks(execute=True):
        timers_sweep()
    assert len(got) == 1
    headers, body = got[0]
    assert verify_signature("s3cret", headers["X-Kefu-Timestamp"], body, headers["X-Kefu-Signature"])
    payload = json.loads(body)
    assert payload["serial"] == order.serial and payload["event"] == "forward.created"
    fwd = Forward.objects.get(order=order)
    assert fwd.state == "delivered"
    forward_answer_external(token=payload["forward"], answer="固件升级后解决")
    order.refresh_from_db()
    assert order.state == State.OPEN
    assert Notice.objects.filter(order=order, kind="answered").exists()


def test_failed_delivery_is_retried_then_marked_failed_and_alerted(center, django_capture_on_commit_callbacks):
    param_set(actor=center.agent, key="workorders.delivery.max_attempts", raw="2")
    boss = make_org(code="BOSS", kind="external", external_kind="billing", name="BOSS")
    Endpoint.objects.create(org=boss, url="http://127.0.0.1:9/unreachable", secret="x")
    clock.freeze(clock.now())
    order = _at_dispatch(center)
    act(center.backoffice, order, "forward", text="请BOSS核查扣费", to_org=boss)
    with django_capture_on_commit_callbacks(execute=True):
        timers_sweep()
    d = Delivery.objects.get(forward__order=order)
    assert d.state == "pending" and d.attempts == 1 and d.last_error
    clock.advance(timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        timers_sweep()
    d.refresh_from_db()
    assert d.state == "failed" and d.attempts == 2
    assert Forward.objects.get(order=order).state == "failed"
    assert Notice.objects.filter(order=order, kind="delivery_failed").exists()
    assert WorkOrder.objects.get(pk=order.pk).state == State.OPEN


def test_forward_to_an_external_party_without_endpoint_is_refused(center):
    from kefu.core.errors import ValidationFailed

    maker = make_org(code="ZTE", kind="external", external_kind="handset_maker")
    order = _at_dispatch(center)
    with pytest.raises(ValidationFailed) as e:
        act(center.backoffice, order, "forward", text="x", to_org=maker)
    assert e.value.code == "no_endpoint"


def test_a_coordination_order_is_created_through_the_orders_write_path(center):
    """The child gets the same audit entry and ``order.created`` event as any new order."""
    from kefu.audit.models import AuditEntry
    from kefu.workorders.models import Delivery, WebhookSubscription

    WebhookSubscription.objects.create(url="http://127.0.0.1:9/hook", secret="x", events=["order.created"])
    order = _at_dispatch(center)
    act(center.backoffice, order, "forward", text="请深圳核实", to_org=center.sz)
    child = Forward.objects.get(order=order).child_order
    assert AuditEntry.objects.filter(object_type="workorders.workorder", object_id=str(child.pk),
                                     action="create").exists()
    assert Delivery.objects.filter(event="order.created", payload__order__id=child.pk).exists()
    assert child.steps.get().action == "create"


def test_an_answer_returns_the_order_with_a_step_a_new_version_an_audit_entry_and_an_event(center):
    from kefu.audit.models import AuditEntry
    from kefu.workorders.models import Delivery, WebhookSubscription

    WebhookSubscription.objects.create(url="http://127.0.0.1:9/hook", secret="x", events=["order.answer"])
    order = _at_dispatch(center)
    act(center.backoffice, order, "forward", text="请深圳核实", to_org=center.sz)
    child = Forward.objects.get(order=order).child_order
    order.refresh_from_db()
    version = order.version
    act(center.sz_handler, child, "accept")
    act(center.sz_handler, child, "process", text="已核实")
    act(center.sz_handler, child, "answer", text="核实无误")
    order.refresh_from_db()
    assert order.state == State.OPEN and order.version == version + 1
    assert order.steps.order_by("-seq").first().action == "answer"
    entry = AuditEntry.objects.filter(object_type="workorders.workorder", object_id=str(order.pk),
                                      action="update").order_by("-pk").first()
    assert entry.changes["state"] == ["forwarded", "open"]
    assert Delivery.objects.filter(event="order.answer", payload__order__id=order.pk).exists()


def test_a_failed_delivery_returns_the_order_through_its_services(center, django_capture_on_commit_callbacks):
    """No bare ``update(state=open)``: the version moves, the step and the audit entry are written."""
    from kefu.audit.models import AuditEntry

    param_set(actor=center.agent, key="workorders.delivery.max_attempts", raw="1")
    boss = make_org(code="BOSS", kind="external", external_kind="billing", name="BOSS")
    Endpoint.objects.create(org=boss, url="http://127.0.0.1:9/unreachable", secret="x")
    order = _at_dispatch(center)
    act(center.backoffice, order, "forward", text="请BOSS核查扣费", to_org=boss)
    order.refresh_from_db()
    version = order.version
    with django_capture_on_commit_callbacks(execute=True):
        timers_sweep()
    order.refresh_from_db()
    assert order.state == State.OPEN and order.version == version + 1
    step = order.steps.order_by("-seq").first()
    assert step.action == "forward_failed" and "BOSS" in step.text
    assert AuditEntry.objects.filter(object_type="workorders.workorder", object_id=str(order.pk), action="update",
                                     changes__state=["forwarded", "open"]).exists()
    act(center.backoffice, order, "dispatch", text="改由广州处理", to_org=center.gz)  # the order goes on


def test_an_order_of_a_handset_makers_staff_goes_to_its_base_province(center):
    """TD chain: the maker's own order reaches the base province's dispatch station, with no hand moving it."""
    from kefu.core.testing import JsonClient, client_for
    from kefu.crm.tests.factories import make_customer
    from kefu.workorders.services.orders import workorder_create

    from .conftest import AGENT_PERMS, COMPLAINT_FIELDS

    hq = make_org(code="HQ", kind="hq", name="集团客服部")
    maker = make_org(code="HW", kind="external", external_kind="handset_maker", name="华为终端客服", parent=hq)
    maker_staff = make_staff(org=maker, perms=AGENT_PERMS, employee_no="HW01")
    roamer = make_customer(org=center.gz, name="漫游用户", number="13900000077")

    def maker_order():
        order, _ = workorder_create(actor=maker_staff, kind="complaint", title="终端无法上网",
                                    description="TD终端无法上网", fields=dict(COMPLAINT_FIELDS), customer=roamer)
        act(maker_staff, order, "accept")
        order.refresh_from_db()
        return order

    assert maker_order().holder_org == hq  # without settings the order lands at headquarters' dispatch

    denied = JsonClient(client_for(make_staff(org=hq, perms=["workorders.order.view"])))
    assert denied.put("/api/workorders/parties/HW", {"base_province": "GD"}).status_code == 403
    assert JsonClient().put("/api/workorders/parties/HW", {"base_province": "GD"}).status_code == 401
    api = JsonClient(client_for(make_staff(org=hq, perms=["workorders.coordination.manage"])))
    assert api.put("/api/workorders/parties/NOPE", {"base_province": "GD"}).status_code == 404
    r = api.put("/api/workorders/parties/HW", {"base_province": "GZ"})
    assert r.status_code == 400  # a city branch is no province center
    r = api.put("/api/workorders/parties/HW", {"base_province": "GD"})
    assert r.status_code == 200 and r.json() == {"org": "HW", "base_province": "GD"}

    order = maker_order()
    assert order.station == "dispatch" and order.holder_org == center.province
    act(center.backoffice, order, "dispatch", text="请广州处理", to_org=center.gz)  # GD's dispatcher acts at once
    order.refresh_from_db()
    assert order.holder_org == center.gz
