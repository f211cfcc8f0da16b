"""Which router is the active one: a PostgreSQL advisory lock, or a lease row elsewhere (SQLite).

Every process that can route runs a candidate; one holds the leadership and
routes, the others wait and take over when it is gone. On PostgreSQL the lock
belongs to a connection of its own, so a router killed outright (kill -9, a
lost machine) releases it the moment its connection drops. The lease row is
renewed every second and expires after ``LEASE_SECONDS``; a standby takes it
over then. Neither is what prevents a double offer: the conditional writes and
the one-pending-offer index do that even with two routers at once.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import timedelta

from django.db import IntegrityError, connection, transaction

from kefu.core import clock

from ..models import RouterLease

log = logging.getLogger("kefu.contactcenter.router")
ADVISORY_KEY = 71_300_003  # 71_300_001: inline routing; 71_300_002: CTI calls
LEASE_NAME = "contacts"
LEASE_SECONDS = 5.0
RENEW_SECONDS = 1.0


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class AdvisoryLock:
    """Leadership as a session advisory lock held on a dedicated PostgreSQL connection."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or holder_name()
        self._conn = None
        self._checked = 0.0

    def hold(self) -> bool:
        """True while this candidate leads; tries to become leader when it does not."""
        if self._conn is not None:
            if time.monotonic() - self._checked < RENEW_SECONDS:
                return True
            try:
                self._conn.execute("SELECT 1")
                self._checked = time.monotonic()
                return True
            except Exception:
                log.warning("router %s lost its lock connection; standing down", self.name)
                self.release()
                return False
        try:
            conn = _dedicated_connection(self.name)
        except Exception:
            log.warning("router %s cannot reach the database", self.name)
            return False
        if conn.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY]).fetchone()[0]:
            self._conn, self._checked = conn, time.monotonic()
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()  # closing the session releases the lock
            except Exception:
                log.debug("closing the router's lock connection failed", exc_info=True)


def _dedicated_connection(name: str):
    """A connection outside Django's pool: the lock must not go back to the pool with it."""
    import psycopg

    s = connection.settings_dict
    params = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"],
              "port": s["PORT"]}
    return psycopg.connect(**{k: v for k, v in params.items() if v not in (None, "")}, autocommit=True,
                           application_name=f"kefu-router {name}"[:63])


class Lease:
    """Leadership as a row with a holder and an expiry, renewed every second (any database)."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or holder_name()
        self._until = 0.0  # monotonic time the lease is surely ours until
        self._renewed = 0.0

    def hold(self) -> bool:
        now_m = time.monotonic()
        if now_m - self._renewed < RENEW_SECONDS and now_m < self._until:
            return True
        now = clock.now()
        try:
            with transaction.atomic():
                got = RouterLease.objects.filter(name=LEASE_NAME).filter(
                    _mine_or_expired(self.name, now)).update(holder=self.name,
                                                             expires_at=now + timedelta(seconds=LEASE_SECONDS))
                if not got and not RouterLease.objects.filter(name=LEASE_NAME).exists():
                    RouterLease.objects.create(name=LEASE_NAME, holder=self.name,
                                               expires_at=now + timedelta(seconds=LEASE_SECONDS))
                    got = 1
        except IntegrityError:  # another candidate created the row first
            got = 0
        except Exception:
            log.warning("router %s could not renew its lease", self.name, exc_info=True)
            got = 0
        if got:
            self._renewed = now_m
            # A margin under the lease, so this one stops before a standby may start.
            self._until = now_m + LEASE_SECONDS - RENEW_SECONDS
            return True
        self._until = 0.0
        return False

    def release(self) -> None:
        RouterLease.objects.filter(name=LEASE_NAME, holder=self.name).update(expires_at=clock.now())
        self._until = 0.0


def _mine_or_expired(name: str, now):
    from django.db.models import Q

    return Q(holder=name) | Q(expires_at__lt=now)


def leader() -> str | None:
    """The name of the active router, if one holds the leadership now (for status pages and tests)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_stat_clear_snapshot()")  # activity is otherwise frozen per transaction
            cur.execute("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s",
                        [ADVISORY_KEY])
            row = cur.fetchone()
        return row[0].removeprefix("kefu-router ") if row else None
    lease = RouterLease.objects.filter(name=LEASE_NAME, expires_at__gt=clock.now()).first()
    return lease.holder if lease else None


def for_this_database(name: str | None = None) -> AdvisoryLock | Lease:
    return AdvisoryLock(name) if connection.vendor == "postgresql" else Lease(name)
