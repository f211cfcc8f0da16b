"""The audit search by customer on a big log, on SQLite and on PostgreSQL.

    .venv/bin/python bench/audit_search.py                     # 1,000,000 entries on each database
    .venv/bin/python bench/audit_search.py --entries 200000 --skip-sqlite

Each database is made for the run (a SQLite file in a temporary directory; the PostgreSQL database
``kefu_bench_audit`` dropped and created again) and migrated. The log is bulk-loaded like a busy center's:
70 % reads naming the order and the one or two customers they showed (``conditions.customers``), 20 %
changes naming no customer, 10 % opened customers (object ``crm.customer``); ``--customers`` distinct
customers (default: entries / 20, so a customer appears in about 15 entries).

Then the search the audit page makes for one customer — ``audit_entry_list(customer=…)``, its first page of
50 and the count — is timed for ``--probes`` customers (p50 / p95 / max). On PostgreSQL it runs with the
``audit_customers_gin`` index and again after dropping it (what the search cost before the index), with the
query plan of one probe each. Figures are wall-clock on a shared machine: run twice before believing a
difference under ~20 %.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEFU = str(Path(sys.executable).with_name("kefu"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_audit")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

# --- inside one database (a child process: Django is set up once per process) ---------------------------

def _rows(n: int, customers: int, first_id: int, actor_id: int, seed: int):
    import random
    from datetime import timedelta

    from kefu.core import clock

    rnd = random.Random(seed)
    start = clock.now() - timedelta(days=180)
    step = timedelta(days=180) / n
    for i in range(n):
        kind = rnd.random()
        row = {"id": first_id + i, "at": start + step * i, "actor_id": actor_id, "actor_label": "b001 压测",
               "channel": "web"}
        if kind < 0.7:
            shown = rnd.randrange(1, 10 * n)
            named = rnd.sample(range(1, customers + 1), 2 if kind < 0.2 else 1)
            row.update(action="read", object_type="workorders.workorder", object_id=str(shown),
                       object_repr=f"ZX{shown:08d}", result_count=1,
                       conditions={"shown": {"workorders.workorder": [str(shown)]}, "customers": named})
        elif kind < 0.9:
            row.update(action="update", object_type="workorders.workorder", object_id=str(rnd.randrange(1, n)),
                       changes={"state": ["open", "closed"]})
        else:
            c = rnd.randrange(1, customers + 1)
            row.update(action="read", object_type="crm.customer", object_id=str(c), object_repr=f"客户{c}",
                       conditions={"customers": [c]})
        yield row


def _time_probes(actor, probes: list[int]) -> tuple[list[float], list[int]]:
    from kefu.audit.selectors import AuditFilters, audit_entry_list

    times, counts = [], []
    for c in probes:
        t = time.perf_counter()
        qs = audit_entry_list(actor=actor, filters=AuditFilters(customer=c))
        page = list(qs[:50])
        count = qs.count()
        times.append((time.perf_counter() - t) * 1000)
        counts.append(count)
        assert len(page) == min(count, 50)
    return times, counts


def _plan(actor, customer: int) -> str:
    from django.db import connection

    from kefu.audit.selectors import AuditFilters, audit_entry_list

    sql, params = audit_entry_list(actor=actor, filters=AuditFilters(customer=customer))[:50].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN {sql}", params)
        return "\n".join(r[0] for r in cur.fetchall())


def _stats(times: list[float]) -> dict:
    s = sorted(times)
    return {"p50": s[len(s) // 2], "p95": s[min(len(s) - 1, int(len(s) * 0.95))], "max": s[-1]}


def child(args) -> None:
    import django

    django.setup()
    import random

    from django.db import connection

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchlib import bulkload
    from kefu.audit.models import AuditEntry
    from kefu.core.testing import make_org, make_staff

    org = make_org(code="BENCH", kind="province", name="压测省中心")
    actor = make_staff(org=org, employee_no="b001", name="压测", is_super=True)
    customers = args.customers or max(args.entries // 20, 10)
    t = time.perf_counter()
    bulkload.insert(AuditEntry, _rows(args.entries, customers, bulkload.next_id(AuditEntry), actor.pk, seed=7))
    bulkload.reset_sequences(AuditEntry)
    bulkload.analyze(AuditEntry)
    load = time.perf_counter() - t
    probes = random.Random(11).sample(range(1, customers + 1), args.probes)
    _time_probes(actor, probes[:3])  # warm the cache
    out = {"vendor": connection.vendor, "entries": args.entries, "customers": customers, "load_s": load}
    times, counts = _time_probes(actor, probes)
    out["indexed"] = _stats(times)
    out["matches_avg"] = sum(counts) / len(counts)
    if connection.vendor == "postgresql":
        out["plan_indexed"] = _plan(actor, probes[0])
        with connection.cursor() as cur:
            cur.execute("DROP INDEX audit_customers_gin")
        _time_probes(actor, probes[:3])
        times, counts_without = _time_probes(actor, probes)
        assert counts_without == counts, "the index changed the answer"
        out["without_index"] = _stats(times)
        out["plan_without_index"] = _plan(actor, probes[0])
    print("RESULT " + json.dumps(out))


# --- the parent: one child per database -----------------------------------------------------------------

def _measure(label: str, env: dict[str, str], args) -> dict:
    migrate = time.perf_counter()
    run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
    migrate = time.perf_counter() - migrate
    cmd = [sys.executable, __file__, "--child", "--entries", str(args.entries), "--probes", str(args.probes),
           "--customers", str(args.customers)]
    out = run_or_exit(cmd, env)
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    r = result["indexed"]
    line = (f"{label:<11} {result['entries']:>10,} entries, {result['customers']:,} customers "
            f"(~{result['matches_avg']:.0f} entries each); load {result['load_s']:.0f} s, migrate {migrate:.1f} s\n"
            f"            search by customer (page of 50 + count), ms: p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  "
            f"max {r['max']:.1f}")
    if "without_index" in result:
        w = result["without_index"]
        line += (f"\n            without audit_customers_gin:               p50 {w['p50']:.1f}  p95 {w['p95']:.1f}  "
                 f"max {w['max']:.1f}")
    print(line, flush=True)
    if args.plans and "plan_indexed" in result:
        print("  plan with the index:\n    " + result["plan_indexed"].replace("\n", "\n    "))
        print("  plan without it:\n    " + result["plan_without_index"].replace("\n", "\n    "))
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--entries", type=int, default=1_000_000)
    p.add_argument("--customers", type=int, default=0, help="distinct customers (default: entries / 20)")
    p.add_argument("--probes", type=int, default=30, help="customers searched for per measurement")
    p.add_argument("--skip-sqlite", action="store_true")
    p.add_argument("--skip-postgres", action="store_true")
    p.add_argument("--plans", action="store_true", help="print the PostgreSQL query plans")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return
    print(f"audit search by customer — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"
          f", load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="kefu-bench-audit-") as tmp:
        if not args.skip_sqlite:
            _measure("SQLite", kefu_env(KEFU_VAR_DIR=tmp, KEFU_SQLITE_PATH=str(Path(tmp) / "kefu.sqlite3")), args)
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            try:
                _measure("PostgreSQL", kefu_env(KEFU_VAR_DIR=tmp, DATABASE_URL=PG_URL), args)
            finally:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
