"""Rebuilding interval rows: the one write path of the indicators.

A rebuild of [since, until) (whole 15-minute intervals) reads every source for that stretch, sums the
facts with the pure ``aggregate`` functions, and replaces the stretch's rows in one transaction. Running
it again gives the same rows, so the worker may repeat it after a crash, and a report never reads raw
records. The worker rebuilds the last ``kpi.lookback`` every minute (contacts still in progress settle in
their starting interval) and the whole previous day once after midnight.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kefu.core import clock
from kefu.params.selectors import param_get

from ..aggregate import BUCKET, bucket_of, day_slot, new_rows
from ..catalogue import MEASURES
from ..models import IntervalStat, RefreshMark
from .sources import FEEDERS

#: Rebuild at most this much per transaction, so a long backfill shows progress and holds no lock for long.
CHUNK = timedelta(hours=6)


def _floor(at: datetime) -> datetime:
    return bucket_of(timezone.localtime(at))


def intervals_rebuild(*, since: datetime, until: datetime, progress=None) -> int:
    """Replace the interval rows of [since, until) (widened to whole intervals); returns rows written."""
    start, end = _floor(since), _floor(until)
    if end < timezone.localtime(until):
        end += BUCKET
    written = 0
    while start < end:
        step = min(end, start + CHUNK)
        written += _rebuild_chunk(start, step)
        if progress is not None:
            progress(step, written)
        start = step
    return written


@transaction.atomic
def _rebuild_chunk(since: datetime, until: datetime) -> int:
    rows = new_rows()
    now = clock.now()
    for feed in FEEDERS:
        feed(
            rows,
            since=since,
            until=min(until, max(since, now)) if feed.__name__ == "source_agent_states" else until,
        )
    # Uses kpi_bucket (bucket_start).
    IntervalStat.objects.filter(bucket_start__gte=since, bucket_start__lt=until).delete()
    objs = []
    for (bucket, org, queue, team, agent, channel), m in rows.items():
        if not any(m.values()):
            continue
        day, slot = day_slot(bucket)
        objs.append(
            IntervalStat(
                bucket_start=bucket,
                day=day,
                slot=slot,
                org_id=org,
                queue_id=queue,
                team_id=team,
                agent_id=agent,
                channel=channel or "",
                **{k: m.get(k, 0) for k in MEASURES},
            )
        )
    IntervalStat.objects.bulk_create(objs, batch_size=1000)
    return len(objs)


def intervals_refresh(*, now: datetime | None = None) -> int:
    """The worker's run: the last ``kpi.lookback``, and yesterday once a day after midnight."""
    now = now or clock.now()
    written = intervals_rebuild(since=now - param_get("kpi.lookback"), until=now)
    mark, _created = RefreshMark.objects.get_or_create(name="intervals")
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if mark.until is None or timezone.localtime(mark.until) < midnight:
        written += intervals_rebuild(since=midnight - timedelta(days=1), until=midnight)
    RefreshMark.objects.filter(pk=mark.pk).update(refreshed_at=clock.now(), until=now, rows=written)
    return written


def last_refresh() -> RefreshMark | None:
    return RefreshMark.objects.filter(name="intervals").first()
