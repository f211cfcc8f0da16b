"""Quality inspection at a center's scale: the random spot check and the reports.

Per backend (a fresh SQLite file, then PostgreSQL): the setup (not timed) writes ``--agents`` (200) agents in
ten teams of a city branch, ``--contacts`` (50) ended calls each, a scoring form, and an inspector. Timed:
``inspections_pick`` drawing 2 calls per agent over the day (reads the calls through the contact center's
selector, skips those already inspected, one pending inspection and one audit entry per pick); then, with
every call given a scored inspection (bulk-written, not timed), ``quality_report`` by agent, by team and by
day, and ``qa_score_summary`` for the branch. Printed: each step's time and the load average.

    .venv/bin/python bench/quality.py [--agents 200] [--contacts 50] [--skip-postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_quality (default)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_quality")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_RUN = """
import os, sys, time, django; django.setup()
from datetime import timedelta
from kefu.contactcenter.models import Contact, Queue
from kefu.core import clock
from kefu.iam.models import Staff, Team
from kefu.iam.services.roles import role_create
from kefu.iam.services.staff import staff_create
from kefu.orgs.services import org_create
from kefu.quality.models import Inspection
from kefu.quality.reports import qa_score_summary, quality_report
from kefu.quality.services.forms import FormData, form_create
from kefu.quality.services.inspections import SampleRule, inspections_pick
from kefu.quality.tests.factories import ITEMS

agents_n, per = int(sys.argv[1]), int(sys.argv[2])
province = org_create(actor="bench", code="GD", name="广东省客服中心", kind="province")
city = org_create(actor="bench", code="GZ", name="广州分公司", kind="city", parent=province)
teams = Team.objects.bulk_create([Team(org=city, name=f"班组{i}") for i in range(10)])
Staff.objects.bulk_create([Staff(employee_no=f"A{i:05d}", name=f"话务员{i}", org=city, team=teams[i % 10],
                                 password="!") for i in range(agents_n)], batch_size=1000)
agents = list(Staff.objects.filter(employee_no__startswith="A"))
inspector = staff_create(actor="bench", employee_no="QA", name="质检员", password="Bench-12345x", org=city,
                         role=role_create(actor="bench", name="super", is_super=True), validate=False)
queue = Queue.objects.create(code="Q", name="Q", org=city)
form = form_create(actor="bench", data=FormData(name="表", org_id=province.pk, items=ITEMS))
now = clock.now()
rows = []
for a in agents:
    for k in range(per):
        start = now - timedelta(hours=8) + timedelta(seconds=37 * k)
        rows.append(Contact(agent=a, queue=queue, started_at=start, answered_at=start + timedelta(seconds=5),
                            ended_at=start + timedelta(seconds=200), state="ended"))
Contact.objects.bulk_create(rows, batch_size=2000)
load = lambda: " ".join(f"{x:.2f}" for x in os.getloadavg())
t = time.perf_counter()
out = inspections_pick(actor=inspector, rule=SampleRule(source="random", since=now - timedelta(days=1),
                                                        until=now + timedelta(minutes=1), per_agent=2, seed=1))
print("pick", time.perf_counter() - t, len(out.created), load(), flush=True)
done = set(Inspection.objects.values_list("contact_id", flat=True))
version = form.versions.get()
Inspection.objects.filter(pk__in=[i.pk for i in out.created]).update(state="scored", score=90, scored_at=now)
Inspection.objects.bulk_create([
    Inspection(contact_id=c.pk, contact_at=c.started_at, agent_id=c.agent_id, org=city,
               team_id=teams[i % 10].pk, form_version=version, source="random", state="scored",
               score=60 + i % 40, fatal=i % 25 == 0, scored_at=now - timedelta(days=i % 20))
    for i, c in enumerate(Contact.objects.exclude(pk__in=done).only("pk", "started_at", "agent_id"))],
    batch_size=2000)
n = Inspection.objects.count()
for group in ("agent", "team", "day"):
    t = time.perf_counter()
    rows = quality_report(actor=inspector, start=now - timedelta(days=31), end=now + timedelta(days=1), group_by=group)
    print(f"report_{group}", time.perf_counter() - t, len(rows), load(), flush=True)
t = time.perf_counter()
s = qa_score_summary(scope=city, start=now - timedelta(days=31), end=now + timedelta(days=1))
print("summary", time.perf_counter() - t, s[0]["count"], load(), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--contacts", type=int, default=50)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    total = args.agents * args.contacts
    print(f"quality inspection: {args.agents} agents x {args.contacts} calls = {total:,} calls; "
          f"load before {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-quality-") as tmp:
        backends = [("sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp))]
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            backends.append(("postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)))
        try:
            for label, env in backends:
                env["KEFU_LOG_LEVEL"] = "WARNING"
                run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
                out = run_or_exit([sys.executable, "-c", _RUN, str(args.agents), str(args.contacts)], env)
                for line in out.split("\n"):
                    if line.strip():
                        step, took, rows, *load = line.split()
                        print(f"{label:<10} {step:<13} {float(took) * 1000:9.1f} ms   {int(rows):>7,} rows   "
                              f"load {' '.join(load)}", flush=True)
        finally:
            if not args.skip_postgres:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
