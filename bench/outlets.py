"""Messages per second through the outlets end to end: ``send_message`` → worker → delivered.

The SMS outlet uses the recorded gateway (every segment stored, delivery reported at once through the same
service as the webhook), with a rate limit high enough not to bind. Per backend: ``--messages`` messages are
recorded by ``send_message`` (timed: enqueue/s), then ``--workers`` worker processes run the dispatch job
until every message is delivered (timed: delivered/s, from the first claim to the last report). Half the
texts are Chinese and long enough for two segments. A last run sets the rate to ``--rate`` messages/s and
shows that several workers together hold it.

    .venv/bin/python bench/outlets.py [--messages 5000] [--workers 1 2] [--rate 200] [--skip-postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_outlets (default)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_outlets")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_PREPARE = """
import sys, time, django; django.setup()
from kefu.outlets.models import Message, Outlet
from kefu.outlets.services.messages import send_message
n, rate = int(sys.argv[1]), float(sys.argv[2])
Message.objects.all().delete()
Outlet.objects.filter(code="sms").update(rate_per_second=rate, burst=max(1, int(rate)), tokens=0)
long_zh = "尊敬的客户，您本月的话费账单已出，详情请登录网上营业厅查询，如有疑问请致电客服热线。" * 2
start = time.perf_counter()
for i in range(n):
    send_message(recipient=f"138{i:08d}", outlet="sms", purpose="billing", idempotency_key=f"bench-{i}",
                 body=long_zh if i % 2 else f"Your bill for May is {i % 100}.50 yuan.")
print(time.perf_counter() - start)
"""

_WORKER = """
import os, sys, django; django.setup()
from kefu.outlets.models import Message
from kefu.outlets.services.sending import messages_dispatch
name = f"bench-{os.getpid()}"
while Message.objects.filter(status="queued").exists():
    messages_dispatch(worker=name, batch=200, deadline_seconds=5)
"""

_RESULT = """
import django; django.setup()
from django.db.models import Max, Min
from kefu.outlets.models import Attempt, Message, RecordedSms
agg = Attempt.objects.aggregate(first=Min("at"), last=Max("at"))
span = (agg["last"] - agg["first"]).total_seconds() if agg["first"] else 0.0
print(Message.objects.filter(status="delivered").count(), Message.objects.count(), RecordedSms.objects.count(),
      Attempt.objects.count(), span)
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(label: str, env: dict[str, str], messages: int, workers: int, rate: float) -> None:
    enqueue = float(run_or_exit([sys.executable, "-c", _PREPARE, str(messages), str(rate)], env).strip())
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER], env=env) for _ in range(workers)]
    for p in procs:
        if p.wait():
            sys.exit(f"{label}: a worker failed")
    wall = time.perf_counter() - start
    delivered, total, recorded, attempts, span = run_or_exit([sys.executable, "-c", _RESULT], env).split()
    limited = f"rate limit {rate:,.0f}/s" if rate < 1e6 else "no binding rate limit"
    print(f"{label:<10} {workers} worker(s)  enqueue {messages / enqueue:7,.0f} msg/s   "
          f"delivered {int(delivered) / wall:7,.0f} msg/s (wall {wall:.1f} s incl. start-up; "
          f"{int(delivered) / max(float(span), 1e-9):,.0f}/s first→last attempt)   "
          f"{delivered}/{total} delivered, {recorded} recorded, {attempts} attempts, {limited}; "
          f"load {_load()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rate", type=float, default=200.0, help="rate of the rate-limit run (messages/s)")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(f"outlets end to end: {args.messages:,} messages; load before {_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-outlets-") as tmp:
        backends = [("sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp))]
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            backends.append(("postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)))
        try:
            for label, env in backends:
                env["KEFU_LOG_LEVEL"] = "WARNING"
                run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
                for w in args.workers:
                    _run(label, env, args.messages, w, 1e9)
                rated = min(args.messages, int(args.rate * 10))
                _run(label, env, rated, max(args.workers), args.rate)
        finally:
            if not args.skip_postgres:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
