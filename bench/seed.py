"""Benchmark of ``kefu seed --customers N`` on SQLite and on PostgreSQL.

Each run starts from an empty database (a fresh SQLite file in a temporary
directory; the PostgreSQL database ``kefu_bench_seed`` dropped and created
again). Migrations run first and are timed apart; the seed time is the wall
time of the whole command (organisations, ~50 staff, the customers with their
accounts and subscribers, and the demo work orders). Rows/s counts customers +
accounts + subscribers. A second run with the same N shows that seeding is
idempotent (it adds nothing).

    .venv/bin/python bench/seed.py [--customers 100000] [--skip-postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_seed (default)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

KEFU = str(Path(sys.executable).with_name("kefu"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_seed")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_recreate, run_or_exit  # noqa: E402

_COUNT = """
import django; django.setup()
from kefu.crm.models import Account, Customer, Subscriber
print(Customer.objects.count(), Account.objects.count(), Subscriber.objects.count())
"""


def _timed(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    run_or_exit([KEFU, *args], env)
    return time.perf_counter() - start


def _rows(env: dict[str, str]) -> tuple[int, int, int]:
    customers, accounts, subscribers = (int(x) for x in run_or_exit([sys.executable, "-c", _COUNT], env).split())
    return customers, accounts, subscribers


def _report(label: str, env: dict[str, str], customers: int) -> dict:
    migrate = _timed(env, "manage", "migrate", "--noinput")
    seconds = _timed(env, "seed", "--customers", str(customers))
    c, a, s = _rows(env)
    rerun = _timed(env, "seed", "--customers", str(customers))
    rows = c + a + s
    print(f"{label:<11} seed {seconds:7.1f} s  {c / seconds:8,.0f} customers/s  {rows / seconds:8,.0f} rows/s  "
          f"({c:,} customers, {a:,} accounts, {s:,} subscribers; migrate {migrate:.1f} s; "
          f"idempotent re-run {rerun:.1f} s)", flush=True)
    return {"backend": label, "seconds": seconds, "customers": c, "rows": rows, "rerun": rerun}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(f"kefu seed --customers {args.customers:,} (fresh database each; migrations timed apart)")
    with tempfile.TemporaryDirectory(prefix="kefu-bench-seed-") as tmp:
        _report("SQLite", kefu_env(KEFU_VAR_DIR=tmp, KEFU_SQLITE_PATH=str(Path(tmp) / "kefu.sqlite3")),
                args.customers)
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            _report("PostgreSQL", kefu_env(KEFU_VAR_DIR=tmp, DATABASE_URL=PG_URL), args.customers)


if __name__ == "__main__":
    main()
