"""Human-readable serial numbers (TS20261124000123), unique under concurrency."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from kefu.core import clock

from ..kinds import SERIAL_PREFIX
from ..models import SerialCounter


def serial_next(kind: str) -> str:
    """Next serial for ``kind`` today (center time zone).

    The counter row is incremented with ``UPDATE … SET last = last + 1`` inside
    the caller's transaction: the row lock (PostgreSQL) or the database write
    lock (SQLite, IMMEDIATE transactions) serialises concurrent creators, and the
    unique serial column is the final guard.
    """
    prefix = SERIAL_PREFIX[kind]
    day = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y%m%d")
    updated = SerialCounter.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                SerialCounter.objects.create(prefix=prefix, day=day, last=1)
        except IntegrityError:  # another creator made today's row first
            SerialCounter.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    last = SerialCounter.objects.filter(prefix=prefix, day=day).values_list("last", flat=True).get()
    return f"{prefix}{day}{last:06d}"
