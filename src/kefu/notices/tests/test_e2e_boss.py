"""The publishing protocol end to end, for real: the simulated BOSS posts signed requests to a live Kefu and
receives the signed callbacks on its own HTTP server; Kefu's jobs run as the worker runs them."""

import pytest

from kefu.notices.bosssim import BossSimulator
from kefu.notices.models import CallbackState, NoticeCallback, NoticeRequest
from kefu.notices.services.callbacks import callback_retry, callbacks_send
from kefu.notices.services.fanout import requests_fanout
from kefu.notices.services.reporting import requests_follow
from kefu.notices.services.subscriptions import subscription_set
from kefu.notices.services.systems import system_update
from kefu.outlets.models import Message, RecordedSms
from kefu.outlets.selectors import outlet_get
from kefu.outlets.services.config import outlets_ensure_defaults
from kefu.outlets.services.inbound import sms_inbound_receive
from kefu.outlets.services.sending import messages_dispatch
from kefu.outlets.tests.conftest import fill_bucket

pytestmark = pytest.mark.django_db(transaction=True)

ARREARS = {"request_id": "AR-202405-FS", "kind": "arrears", "template": "arrears_notice",
           "rule": {"org": "FS", "min_arrears": 50}, "priority": 7}


def run_jobs(rounds: int = 3) -> None:
    """What the worker does each second, a few times over."""
    for _ in range(rounds):
        requests_fanout(worker="test")
        messages_dispatch(worker="test")
        requests_follow()
        callbacks_send(deadline_seconds=5)


@pytest.fixture
def sim(live_server, boss_system):
    outlets_ensure_defaults()  # a transactional test before may have emptied the tables
    with BossSimulator(kefu_url=live_server.url, key_id=boss_system.system.key_id,
                       secret=boss_system.secret) as s:
        system_update(actor="test", system_id=boss_system.system.pk, name="BOSS", callback_url=s.callback_url,
                      active=True)
        yield s


def test_an_arrears_notice_is_published_reported_retried_and_never_sent_twice(sim, arrears_world):
    fill_bucket()
    # The customer 乙 texts "TD欠费": the outlets' inbound SMS handling hands the keyword to the notices.
    sms_inbound_receive(outlet=outlet_get(code="sms"),
                        gateway_id="in-1", sender="13900000002", text="TD 欠费")
    assert "不再" in Message.objects.get(idempotency_key__startswith="keyword-reply-").body

    status, answer = sim.send(ARREARS)
    assert status == 202 and answer["state"] == "received"
    status, again = sim.send(ARREARS)  # BOSS did not hear the answer and sends again
    assert status == 200 and again["id"] == answer["id"]
    sim.fail_next = 2  # BOSS is down for the first two callbacks
    run_jobs()

    req = NoticeRequest.objects.get(request_id="AR-202405-FS")
    assert (req.total, req.delivered, req.unsubscribed) == (2, 1, 1)
    sent = RecordedSms.objects.get(client_ref__startswith="n")  # the notice, beside the keyword's reply
    assert sent.recipient == "13900000001" and "88.50" in sent.text
    assert sim.failed_on_purpose == 2
    failed = NoticeCallback.objects.filter(attempts__gte=1, state=CallbackState.PENDING)
    assert failed.exists(), "the callbacks BOSS refused wait for their retry"
    for cb in failed:
        callback_retry(actor="test", callback_id=cb.pk)  # what the retry button does
    run_jobs()
    final = sim.wait_final("AR-202405-FS", timeout=5)
    assert final is not None and final["totals"]["delivered"] == 1 and final["totals"]["unsubscribed"] == 1
    assert sim.results("AR-202405-FS") == {"13900000001": "delivered", "13900000002": "unsubscribed"}
    assert sim.bad_signatures == 0

    # The same request id once more, and every job again: nothing new is sent or reported.
    callbacks_before = len(sim.callbacks)
    assert sim.send(ARREARS)[0] == 200
    run_jobs()
    assert RecordedSms.objects.filter(client_ref__startswith="n").count() == 1
    assert Message.objects.filter(source="notice").count() == 1
    assert len(sim.callbacks) == callbacks_before and sim.duplicates == 0


def test_a_retried_callback_carries_its_delivery_id_and_the_receiver_drops_the_repeat(sim, arrears_world):
    fill_bucket()
    sim.send({**ARREARS, "request_id": "R2", "recipients": [{"number": "13900000001",
                                                             "variables": {"number": "13900000001", "amount": "1"}}],
              "rule": None})
    run_jobs()
    delivered = NoticeCallback.objects.filter(state=CallbackState.DELIVERED).first()
    assert delivered is not None
    # A callback delivered but whose answer Kefu never heard is posted again: same delivery id, dropped there.
    NoticeCallback.objects.filter(pk=delivered.pk).update(state=CallbackState.PENDING, budget=1,
                                                          next_attempt_at=delivered.created_at)
    from kefu.notices.services.callbacks import _claim, callback_post

    callback_post(callback_id=delivered.pk, number=_claim(callback_id=delivered.pk))
    assert sim.duplicates == 1


def test_wrong_signature_unknown_key_and_a_reused_request_id(sim, arrears_world):
    status, answer = sim.send(ARREARS, secret="not-the-secret-at-all")
    assert status == 403 and answer["code"] == "bad_signature"
    sim.key_id = "nobody"
    status, answer = sim.send(ARREARS)
    assert status == 401 and answer["code"] == "unknown_key"
    assert not NoticeRequest.objects.exists()


def test_a_reused_request_id_with_other_content_is_a_conflict(sim, arrears_world):
    first = sim.send(ARREARS)
    assert first[0] == 202, first
    status, answer = sim.send({**ARREARS, "priority": 9})
    assert status == 409 and answer["code"] == "request_id_reused"


def test_a_customer_who_unsubscribed_by_agent_is_skipped(sim, arrears_world, admin):
    fill_bucket()
    subscription_set(actor=admin, number="13900000001", kind="arrears", subscribed=False, source="agent")
    sim.send(ARREARS)
    run_jobs()
    assert sim.results("AR-202405-FS") == {"13900000001": "unsubscribed", "13900000002": "delivered"}
    assert not RecordedSms.objects.filter(recipient="13900000001").exists()
