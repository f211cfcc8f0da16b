"""What a request pays for its database connection on PostgreSQL: pooled against one connection per request.

    .venv/bin/python bench/db_connections.py [--url postgres://postgres@127.0.0.1:5432/postgres] [-n 2000]

Each simulated request runs as an ASGI request does: in a thread of its own,
between Django's ``request_started`` and ``request_finished`` signals (which
close the thread's connection, or give it back to the pool), with one
``SELECT 1`` in between. The same loop runs twice in child processes, with
``KEFU_DB_POOL=1`` and ``KEFU_DB_POOL=0``, and once more on a connection kept
open in one thread (the query alone), so the connection's own cost is the
difference. It needs no Kefu schema: any database the URL names will do.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _child(n: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()
    from django.core import signals
    from django.db import connection

    def request(out: list):
        t0 = time.perf_counter()
        signals.request_started.send(sender=None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        signals.request_finished.send(sender=None)
        out.append(time.perf_counter() - t0)

    def run(count: int) -> list[float]:
        out: list[float] = []
        for _ in range(count):
            t = threading.Thread(target=request, args=(out,))
            t.start()
            t.join()
        return out

    run(50)  # warm up: imports, the pool's first connections
    times = run(n)
    with connection.cursor() as cursor:  # the query alone, on a connection that stays open
        t_query = []
        for _ in range(n):
            t0 = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            t_query.append(time.perf_counter() - t0)
    ms = sorted(x * 1000 for x in times)
    return {"pool": bool(connection.settings_dict["OPTIONS"].get("pool")), "n": n,
            "mean_ms": statistics.fmean(ms), "p50_ms": ms[len(ms) // 2], "p99_ms": ms[int(len(ms) * 0.99)],
            "query_only_ms": statistics.fmean(t_query) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("-n", type=int, default=2000, help="requests per mode")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.n)))
        return
    results = []
    for pool in ("0", "1"):
        env = {**os.environ, "DATABASE_URL": args.url, "KEFU_DB_POOL": pool,
               "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
               "KEFU_VAR_DIR": os.environ.get("KEFU_VAR_DIR", str(SRC.parent / "var" / "bench")),
               "KEFU_LOG_LEVEL": "WARNING"}
        out = subprocess.run([sys.executable, __file__, "--child", "-n", str(args.n)], env=env,
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    load = os.getloadavg()
    print(f"{args.n} requests per mode, a thread each; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'mode':<26}{'mean ms':>9}{'p50 ms':>9}{'p99 ms':>9}{'connection ms':>15}")
    for r in results:
        name = "pool (psycopg_pool)" if r["pool"] else "new connection per request"
        print(f"{name:<26}{r['mean_ms']:>9.2f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}"
              f"{r['mean_ms'] - r['query_only_ms']:>15.2f}")
    print(f"the query alone on an open connection: {results[0]['query_only_ms']:.3f} ms")
    print(f"speed-up of a request's database round trip: {results[0]['mean_ms'] / results[1]['mean_ms']:.1f}x")


if __name__ == "__main__":
    main()
