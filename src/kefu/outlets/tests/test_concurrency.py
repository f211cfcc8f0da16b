"""Several workers at once: each message is claimed and sent once, and the outlet's rate holds for all."""

import threading
import time

from django.db import connection

from kefu.core import clock
from kefu.outlets.models import Message, Outlet, RecordedSms
from kefu.outlets.services.config import outlets_ensure_defaults
from kefu.outlets.services.messages import send_message
from kefu.outlets.services.sending import messages_dispatch, tokens_take


def _in_threads(n, target):
    errors = []

    def run(i):
        try:
            target(i)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_workers_at_once_send_each_message_exactly_once(transactional_db):
    outlets_ensure_defaults()
    Outlet.objects.filter(code="sms").update(rate_per_second=10_000, burst=10_000, tokens=10_000)
    for i in range(60):
        send_message(recipient=f"1380000{i:04d}", outlet="sms", purpose="service", idempotency_key=f"c{i}",
                     body=f"第{i}条")
    _in_threads(3, lambda i: messages_dispatch(worker=f"w{i}", batch=7))
    assert Message.objects.filter(status="delivered").count() == 60
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    assert RecordedSms.objects.count() == 60
    assert Message.objects.values("claimed_by").distinct().count() > 1 or connection.vendor == "sqlite"


def test_the_bucket_is_shared_by_every_worker(transactional_db):
    outlets_ensure_defaults()
    Outlet.objects.filter(code="sms").update(rate_per_second=20, burst=10, tokens=0, refilled_at=clock.now())
    sms = Outlet.objects.get(code="sms")
    taken: list[int] = []
    started = time.monotonic()

    def take(i):
        for _ in range(15):
            taken.append(tokens_take(outlet_id=sms.pk, want=5))
            time.sleep(0.02)

    _in_threads(3, take)
    elapsed = time.monotonic() - started
    assert 0 < sum(taken) <= 20 * elapsed + 1  # never more than the rate allows, however many take
