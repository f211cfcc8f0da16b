"""Interval report over a month of interval rows: time to read a day and a month, PostgreSQL and SQLite.

Builds the interval rows that ``--contacts`` contact records spread over 30 days would give (``--agents``
agents in ``--queues`` queues; each 15-minute interval of each agent that took calls is one row, plus one
row of agent state time), inserted in bulk with progress, then times the report (total, per queue, per
agent; day by hour and month by day). The report never reads contact records, so the row count, not the
contact count, is what it scales with. It also times the worker's rebuild of one busy hour from ``--sample``
real contact records.

    .venv/bin/python bench/kpi.py [--contacts 10000000] [--agents 400] [--queues 20] [--skip-postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_kpi (default)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_kpi")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_RUN = """
import random, sys, time, django; django.setup()
from datetime import date, datetime, timedelta
from django.utils import timezone
from kefu.contactcenter.models import Contact, Queue
from kefu.core.testing import make_org, make_staff
from kefu.kpi.models import IntervalStat
from kefu.kpi.selectors import ReportFilters, report_rows
from kefu.kpi.services.refresh import intervals_rebuild

contacts, agents, queues, sample = (int(a) for a in sys.argv[1:5])
org = make_org(code="GD", kind="province", name="广东省客服中心")
boss = make_staff(org=org, perms=["kpi.report.view", "scope.all_orgs"], employee_no="B1")
qs = [Queue.objects.create(code=f"Q{i}", name=f"队列{i}", org=org) for i in range(queues)]
first = date(2026, 1, 1)
slots = 30 * 96
per_row = max(1, contacts // (slots * agents))
rnd = random.Random(7)
batch, made, start = [], 0, time.perf_counter()
total_rows = slots * agents * 2
for d in range(30):
    day = first + timedelta(days=d)
    for slot in range(96):
        bucket = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(minutes=15 * slot))
        for a in range(agents):
            n = per_row
            ans = n - (n // 10)
            batch.append(IntervalStat(bucket_start=bucket, day=day, slot=slot, org_id=org.pk, queue_id=qs[a % queues].pk,
                                      team_id=a // 20 + 1, agent_id=a + 1000, channel="voice", offered=n, answered=ans,
                                      answered_in_sl=int(ans * 0.8), abandoned=n - ans, short_abandoned=(n - ans) // 3,
                                      answer_wait_s=ans * 15.0, handled=ans, talk_s=ans * 180.0, hold_s=ans * 10.0,
                                      wrap_s=ans * 30.0, transferred=ans // 20, resolved_first=int(ans * 0.7)))
            batch.append(IntervalStat(bucket_start=bucket, day=day, slot=slot, org_id=org.pk, team_id=a // 20 + 1,
                                      agent_id=a + 1000, ready_s=200.0, busy_s=650.0, not_ready_s=50.0))
            if len(batch) >= 20000:
                IntervalStat.objects.bulk_create(batch, batch_size=5000)
                made += len(batch); batch = []
                print(f"progress {made:,}/{total_rows:,} rows {made / (time.perf_counter() - start):,.0f} rows/s",
                      file=sys.stderr, flush=True)
IntervalStat.objects.bulk_create(batch, batch_size=5000); made += len(batch)
built = time.perf_counter() - start
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as c: c.execute("ANALYZE kpi_intervalstat")

def timed(**kw):
    best = None
    for _ in range(3):
        t = time.perf_counter(); out = report_rows(actor=boss, filters=ReportFilters(**kw)); t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    return best, len(out["rows"])

res = []
for label, kw in (("day total by hour", dict(since=first, until=first, interval="60")),
                  ("day by queue, hourly", dict(since=first, until=first, interval="60", group="queue")),
                  ("day by agent", dict(since=first, until=first, interval="total", group="agent")),
                  ("month total by day", dict(since=first, until=first + timedelta(days=29), interval="day")),
                  ("month by queue", dict(since=first, until=first + timedelta(days=29), interval="total", group="queue")),
                  ("month by agent", dict(since=first, until=first + timedelta(days=29), interval="total", group="agent"))):
    t, n = timed(**kw)
    res.append(f"{label}={t:.3f}s/{n}rows")
# The worker's rebuild: one hour of real contact records.
staff = make_staff(org=org, employee_no="A1")
t0 = timezone.make_aware(datetime(2026, 2, 1, 9))
Contact.objects.bulk_create([Contact(queue=qs[i % queues], agent=staff, started_at=t0 + timedelta(seconds=i * 3600 / sample),
    enqueued_at=t0 + timedelta(seconds=i * 3600 / sample), answered_at=t0 + timedelta(seconds=i * 3600 / sample + 12),
    ended_at=t0 + timedelta(seconds=i * 3600 / sample + 200), state="ended") for i in range(sample)], batch_size=5000)
t = time.perf_counter(); rows = intervals_rebuild(since=t0, until=t0 + timedelta(hours=1)); rebuild = time.perf_counter() - t
print("RESULT", made, f"{built:.1f}", f"{rebuild:.2f}", rows, *res)
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--queues", type=int, default=20)
    parser.add_argument(
        "--sample", type=int, default=20_000, help="contact records of the timed rebuild (one hour)"
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(
        f"kpi report: {args.contacts:,} contacts over 30 days, {args.agents} agents, {args.queues} queues; "
        f"load before {_load()}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="kefu-bench-kpi-") as tmp:
        backends = (
            []
            if args.skip_sqlite
            else [("sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp))]
        )
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            backends.append(("postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)))
        try:
            for label, env in backends:
                env["KEFU_LOG_LEVEL"] = "WARNING"
                run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
                # Progress goes to stderr, shown as it comes; the figures come back on stdout.
                done = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        _RUN,
                        str(args.contacts),
                        str(args.agents),
                        str(args.queues),
                        str(args.sample),
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                if done.returncode:
                    sys.exit(f"{label} run failed")
                out = done.stdout
                line = next(x for x in out.splitlines() if x.startswith("RESULT")).split()
                print(
                    f"{label:<10} {int(line[1]):,} interval rows built in {line[2]} s; rebuild of one hour of "
                    f"{args.sample:,} contacts {line[3]} s ({line[4]} rows); "
                    + " ".join(line[5:])
                    + f"; load {_load()}",
                    flush=True,
                )
        finally:
            if not args.skip_postgres:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
