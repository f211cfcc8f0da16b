"""Human-readable serial numbers (TS20261124000123), unique under concurrency."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from kefu.core import clock

from ..kinds import SERIAL_PREFIX
from ..models import SerialCounter


def serial_next(kind: str) -> str:
    """Next serial for ``kind`` today (center time zone).

    The counter row is incremented with ``UPDATE … SET last = last + 1 RETURNING last`` inside
    the caller's transaction: the row lock (PostgreSQL) or the database write
    lock (SQLite, IMMEDIATE transactions) serialises concurrent creators, and the
    unique serial column is the final guard.
    """
    prefix = SERIAL_PREFIX[kind]
    day = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y%m%d")
    last = _increment(prefix, day)
    if last is None:
        try:
            with transaction.atomic():
                SerialCounter.objects.create(prefix=prefix, day=day, last=1)
            last = 1
        except IntegrityError:  # another creator made today's row first
            last = _increment(prefix, day)
    return f"{prefix}{day}{last:06d}"


def _increment(prefix: str, day: str) -> int | None:
    """``last + 1`` of today's counter and its new value in one statement (RETURNING: PostgreSQL, SQLite ≥ 3.35)."""
    table = connection.ops.quote_name(SerialCounter._meta.db_table)  # a model's own table name, not input
    with connection.cursor() as cur:  # unique (prefix, day)
        cur.execute(f'UPDATE {table} SET "last" = "last" + 1 WHERE "prefix" = %s AND "day" = %s RETURNING "last"',  # noqa: S608
                    [prefix, day])
        row = cur.fetchone()
    return None if row is None else row[0]
