"""Satisfaction statistics and sample drawing at a province's size.

Setup (not timed): ``--surveys`` answered surveys bulk-inserted over 90 days, three branches, eight queues,
forty agents, on a fresh database. Timed: ``satisfaction_counts`` (work-order replies and surveys) over the
90 days for each grouping, as a province-wide supervisor (the statistics page and the indicator call it), and
the pure sample draw (``surveys.sampling.draw``) over ``--calls`` answered calls of one day, 5 % per queue,
with 10 % of the numbers resting. Printed: milliseconds per call and the load average.

    .venv/bin/python bench/surveys.py [--surveys 200000] [--calls 100000] [--sqlite]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_surveys (default)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_surveys")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_RUN = """
import random, sys, time, django; django.setup()
from datetime import timedelta
from decimal import Decimal
from django.db import connection, transaction
from kefu.core import clock
from kefu.core.testing import make_org, make_staff
from kefu.surveys import sampling
from kefu.surveys.models import Survey
from kefu.surveys.stats import GROUPS, satisfaction_counts
from kefu.surveys.tests.conftest import make_script
n, calls = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
province = make_org(code="GD", name="广东省客服中心", kind="province")
cities = [make_org(code=c, name=c, kind="city", parent=province) for c in ("GZ", "SZ", "FS")]
agents = [make_staff(org=cities[i % 3], name=f"话务员{i}") for i in range(40)]
_s, version = make_script(cities[0])
now = clock.now()
with transaction.atomic():
    Survey.objects.bulk_create([Survey(
        version=version, org=cities[i % 3], channel="ivr", token=f"b{i}", state="complete", number=f"139{i:08d}",
        queue=f"Q{i % 8}", agent=agents[i % 40], order_kind=("complaint", "inquiry", "")[i % 3],
        answers={"overall": 5}, satisfaction=rng.choice((5, 5, 4, 4, 4, 3, 2, 1)),
        created_at=now - timedelta(minutes=i * 90 * 1440 // n), answered_at=now - timedelta(minutes=i * 90 * 1440 // n))
        for i in range(n)], batch_size=5000)
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE surveys_survey")
boss = make_staff(org=province, is_super=True)
out = []
for group in GROUPS:
    satisfaction_counts(actor=boss, start=now - timedelta(days=90), end=now, group_by=group)  # warm
    t = time.perf_counter()
    groups = satisfaction_counts(actor=boss, start=now - timedelta(days=90), end=now, group_by=group)
    out.append(f"{group}={(time.perf_counter() - t) * 1000:.0f}ms/{len(groups)}")
cands = [sampling.Candidate(number=f"138{rng.randrange(calls):08d}", group=f"Q{i % 8}", data={}) for i in range(calls)]
recent = {c.number for c in cands[: calls // 10]}
t = time.perf_counter()
drawn = sampling.draw(cands, percent=Decimal(5), seed="bench", recent=recent)
out.append(f"draw={(time.perf_counter() - t) * 1000:.0f}ms/{len(drawn)}")
print(" ".join(out))
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    print(f"surveys: {args.surveys:,} answered surveys, {args.calls:,} calls to sample; load before {_load()}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-surveys-") as tmp:
        if args.sqlite:
            label, env = "sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp)
        else:
            pg_recreate(PG_URL)
            label, env = "postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)
        env["KEFU_LOG_LEVEL"] = "WARNING"
        try:
            run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
            figures = run_or_exit([sys.executable, "-c", _RUN, str(args.surveys), str(args.calls)], env).strip()
            print(f"{label}: satisfaction_counts over 90 days (ms/groups): {figures}; load {_load()}")
        finally:
            if not args.sqlite:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
