"""Two handlers acting on one order at the same moment: one wins, the other is told the order changed.

The race is played with two real database connections: the first handler's
transaction holds the order row while the second one's waits for it.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from kefu.core.errors import Conflict, NotFound
from kefu.workorders.services.actions import ActionInput, workorder_act

from .conftest import act, complaint

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers waiting on a row lock need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _wait_for_lock_waiter(timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cur:
        while time.monotonic() < deadline:
            cur.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cur.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _race(first, second) -> dict:
    """Run ``first`` in a transaction that holds its locks until ``second`` waits on one, then let both end.

    Each runs in its own thread with its own connection; the answers (or exceptions) come back by name.
    """
    entered, release, answers = threading.Event(), threading.Event(), {}

    def holder():
        try:
            with transaction.atomic():
                answers["first"] = first()
                entered.set()
                release.wait(20)
        except Exception as exc:  # reported by the caller's assertions
            answers["first"] = exc
        finally:
            entered.set()
            connection.close()

    def waiter():
        try:
            answers["second"] = second()
        except Exception as exc:  # the expected outcome may be an exception
            answers["second"] = exc
        finally:
            connection.close()

    a = threading.Thread(target=holder)
    a.start()
    assert entered.wait(20)
    b = threading.Thread(target=waiter)
    b.start()
    assert _wait_for_lock_waiter()
    release.set()
    a.join(20)
    b.join(20)
    return answers


def test_the_loser_of_two_actions_with_the_same_version_gets_stale_not_not_found(center):
    order = complaint(center)
    act(center.agent, order, "accept")  # now at dispatch, held by the province
    order.refresh_from_db()
    version = order.version
    # the winner moves the order to another holder, so the row the loser waited for no longer joins
    # the organisation it was joined with when the lock was asked for
    data = ActionInput(action="dispatch", version=version, text="请广州处理", to_org=center.gz)
    answers = _race(
        lambda: workorder_act(actor=center.backoffice, order_id=order.pk, data=data),
        lambda: workorder_act(actor=center.backoffice, order_id=order.pk, data=ActionInput(
            action="dispatch", version=version, text="请深圳处理", to_org=center.sz)),
    )
    assert not isinstance(answers["first"], Exception), answers["first"]
    lost = answers["second"]
    assert not isinstance(lost, NotFound), "the loser was told the order does not exist"
    assert isinstance(lost, Conflict) and lost.code == "stale"
    assert lost.details["current_version"] == version + 1


def test_a_timer_firing_while_an_action_moves_the_order_does_not_lose_the_order(center):
    """The sweep waits for the order's lock; once the action commits it sees the order, not a missing row."""
    from datetime import timedelta

    from kefu.core import clock
    from kefu.workorders.models import Notice, Timer
    from kefu.workorders.services.timers import timers_sweep

    order = complaint(center)
    act(center.agent, order, "accept")
    order.refresh_from_db()
    Timer.objects.filter(order=order, kind="reply_warning").update(due_at=clock.now() - timedelta(seconds=1))
    data = ActionInput(action="dispatch", version=order.version, text="请广州处理", to_org=center.gz)
    answers = _race(lambda: workorder_act(actor=center.backoffice, order_id=order.pk, data=data),
                    lambda: timers_sweep(worker="race"))
    assert not isinstance(answers["first"], Exception), answers["first"]
    assert not isinstance(answers["second"], Exception), answers["second"]
    timer = Timer.objects.get(order=order, kind="reply_warning")
    assert timer.state == "fired" and not timer.fired_by.endswith("failed"), timer.fired_by
    assert Notice.objects.filter(order=order, kind="warning").exists()
