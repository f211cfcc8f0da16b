"""Fan-out of one publishing request to many recipients: notices → outlets' bulk entry point → queued messages.

Setup (not timed): a city branch with ``--recipients`` open lines, bulk-inserted (customers of 1,000 lines
each, one account per customer), on a fresh database; an external system; one public-notice request whose
rule is "every line of the branch". Timed: the fan-out job (``requests_fanout``) in this process until the
request is handed over whole — the rule's keyset walk over subscribers, the subscription check, one
``send_messages_bulk`` (one multi-row INSERT of messages) and one INSERT of recipient rows per chunk.
Printed: time, messages/s, the process's peak RSS before and after (``resource.getrusage``), the RSS every
10 % (flat when memory is constant), the traced Python heap peak of one chunk (``tracemalloc``), and the load
average. Messages are then waiting for the SMS outlet's worker (the recorded gateway); sending is
``bench/outlets.py``'s subject.

    .venv/bin/python bench/notices.py [--recipients 1000000] [--chunk 2000] [--sqlite]
    BENCH_PROFILE=1 … also prints a cProfile of the fan-out (slower; for finding where a chunk's time goes)
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_notices (default)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_notices")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_SETUP = """
import sys, time, django; django.setup()
from django.db import connection, transaction
from kefu.core import clock
from kefu.crm.models import Account, Customer, Subscriber
from kefu.core.testing import make_org
n = int(sys.argv[1])
province = make_org(code="GD", name="广东省客服中心", kind="province")
foshan = make_org(code="FS", name="佛山分公司", kind="city", parent=province)
start, now, per = time.perf_counter(), clock.now(), 1000
for base in range(0, n, 100_000):
    size = min(100_000, n - base)
    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            [Customer(name=f"客户{i}", certificate_no=f"BENCH{i:012d}", org=foshan, created_at=now, updated_at=now)
             for i in range(base // per, (base + size + per - 1) // per)], batch_size=2000)
        accounts = Account.objects.bulk_create(
            [Account(customer=c, account_no=f"A{c.pk:012d}", name=c.name, created_at=now, updated_at=now)
             for c in customers], batch_size=2000)
        Subscriber.objects.bulk_create(
            [Subscriber(account=accounts[(i - base) // per], customer_id=accounts[(i - base) // per].customer_id,
                        number=f"13{i:09d}", brand="mzone", opened_at=now, created_at=now, updated_at=now)
             for i in range(base, base + size)], batch_size=5000)
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE crm_subscriber"); cur.execute("VACUUM ANALYZE crm_customer")
print(f"{time.perf_counter() - start:.1f}")
"""

_FANOUT = """
import resource, sys, time, tracemalloc, django; django.setup()
from kefu.notices.models import NoticeRequest
from kefu.notices.services.fanout import fanout_chunk, fanout_claim, requests_fanout
from kefu.notices.services.requests import RequestData, notice_request_receive
from kefu.notices.services.systems import SystemData, system_create
from kefu.orgs.selectors import org_find
from kefu.params.services import param_set
n, chunk = int(sys.argv[1]), int(sys.argv[2])
param_set(actor="bench", key="notices.quiet_hours", raw="false")
system = system_create(actor="bench", data=SystemData(code="boss", name="BOSS", callback_url="",
                                                    org_id=org_find(code="GD").pk)).system
def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# One chunk of a warm-up request under tracemalloc: the Python heap one chunk needs.
warm = notice_request_receive(system=system, data=RequestData(request_id="warm", kind="public", body="测试",
                              rule={"org": "FS"})).request
fanout_claim(worker="bench")
tracemalloc.start()
fanout_chunk(request_id=warm.pk, worker="bench", size=chunk)
chunk_peak = tracemalloc.get_traced_memory()[1] / 2**20
tracemalloc.stop()
NoticeRequest.objects.filter(pk=warm.pk).update(state="finished", claimed_until=None, claimed_by="")
req = notice_request_receive(system=system, data=RequestData(
    request_id="bench-1", kind="public", rule={"org": "FS"}, priority=5,
    body="尊敬的客户{{ number }}：本周六凌晨2点至4点网络升级，部分业务暂停，敬请谅解。")).request
before = rss_mb()
marks, step, start = [], max(1, n // 10), time.perf_counter()
done = 0
import cProfile, pstats, os
prof = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
if prof: prof.enable()
while True:
    done += requests_fanout(worker="bench", deadline_seconds=5, size=chunk)
    state = NoticeRequest.objects.filter(pk=req.pk).values_list("state", flat=True).get()
    marks.append((done, rss_mb()))
    if state != "received" and state != "publishing":
        break
elapsed = time.perf_counter() - start
if prof:
    prof.disable(); pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
req.refresh_from_db()
shown = []
for d, r in marks:
    if not shown or d - shown[-1][0] >= step:
        shown.append((d, r))
print(elapsed, req.total, req.pending, before, rss_mb(), chunk_peak, " ".join(f"{d}:{r:.0f}" for d, r in shown))
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    print(f"notices fan-out: {args.recipients:,} recipients, chunks of {args.chunk:,}; load before {_load()}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-notices-") as tmp:
        if args.sqlite:
            label, env = "sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp)
        else:
            pg_recreate(PG_URL)
            label, env = "postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)
        env["KEFU_LOG_LEVEL"] = "WARNING"
        try:
            run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
            setup = float(run_or_exit([sys.executable, "-c", _SETUP, str(args.recipients)], env).strip())
            print(f"{label}: {args.recipients:,} subscribers bulk-inserted in {setup:.1f} s; load {_load()}", flush=True)
            out = subprocess.run([sys.executable, "-c", _FANOUT, str(args.recipients), str(args.chunk)], env=env,
                                 capture_output=True, text=True, check=False)
            if os.environ.get("BENCH_PROFILE"):
                print(out.stderr[-12000:])
            if out.returncode:
                sys.exit(out.stderr[-3000:])
            elapsed, total, pending, before, after, chunk_peak, *marks = out.stdout.split()
            rate = int(total) / float(elapsed)
            goal = "OK" if rate >= 5000 else "below goal"
            print(f"{label}: fan-out of {int(total):,} recipients ({int(pending):,} messages queued) in "
                  f"{float(elapsed):.1f} s = {rate:,.0f} messages/s ({goal}: ≥ 5,000/s); peak RSS "
                  f"{float(before):.0f} MB before, {float(after):.0f} MB after; one chunk's traced heap "
                  f"{float(chunk_peak):.1f} MB; load {_load()}")
            print(f"{label}: peak RSS (MB) by recipients handed over: {' '.join(marks)}")
        finally:
            if not args.sqlite:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
