"""On PostgreSQL a request borrows a pooled connection instead of opening one (docs/decisions/0023)."""

import threading

import pytest
from django.core import signals
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")


def _request_in_a_thread() -> int:
    """What an ASGI request does: a thread of its own, closed (given back) at request_finished."""
    pids = []

    def request():
        signals.request_started.send(sender=None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        signals.request_finished.send(sender=None)

    t = threading.Thread(target=request)
    t.start()
    t.join()
    return pids[0]


def test_requests_in_their_own_threads_reuse_the_pooled_connections(db):
    assert connection.pool is not None
    pids = {_request_in_a_thread() for _ in range(20)}
    # One connection per request would be 20 server processes; the pool hands back the ones it keeps.
    assert len(pids) <= connection.pool.max_size and len(pids) <= 3


def test_the_pool_is_sized_from_the_environment():
    pool = connection.settings_dict["OPTIONS"]["pool"]
    assert pool["min_size"] >= 1 and pool["max_size"] >= pool["min_size"] and pool["timeout"] > 0
