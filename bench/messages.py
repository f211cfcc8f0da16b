"""Fan-out of one internal message to thousands of staff: the time of ``message_send`` and rows/s.

Per backend (a fresh SQLite file, then PostgreSQL): the setup makes a province with ``--staff`` (5,000)
active agents (written in bulk, not timed) and a supervisor allowed to broadcast; then ``--rounds`` (3)
messages are sent to the province's whole subtree through ``message_send``, the one write path of the
compose page and the API: recipients resolved in the sender's scope, the message and one delivery row per
recipient written in one transaction (``bulk_create`` in batches), the audit entry, and the pushes to every
recipient's notification group after the commit (the in-process channel layer, no sockets connected, so a
push costs what the server pays to hand it over). Printed per round: the send call's time, delivery rows/s,
and the load average; then the best round.

    .venv/bin/python bench/messages.py [--staff 5000] [--rounds 3] [--skip-postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_messages (default)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_messages")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_RUN = """
import os, sys, time, django; django.setup()
from django.db import connection
from kefu.contactcenter.services import realtime
from kefu.iam.models import Staff
from kefu.iam.services.roles import role_create
from kefu.iam.services.staff import staff_create
from kefu.messaging.models import Delivery
from kefu.messaging.services.recipients import Target
from kefu.messaging.services.sending import MessageDraft, message_send
from kefu.orgs.services import org_create

staff, rounds = int(sys.argv[1]), int(sys.argv[2])
province = org_create(actor="bench", code="GD", name="广东省客服中心", kind="province")
city = org_create(actor="bench", code="GZ", name="广州分公司", kind="city", parent=province)
sup = staff_create(actor="bench", employee_no="SUP", name="值班长", password="Bench-12345x", org=province,
                   role=role_create(actor="bench", name="super", is_super=True), position="supervisor",
                   validate=False)
Staff.objects.bulk_create([Staff(employee_no=f"A{i:06d}", name=f"话务员{i}", org=city if i % 2 else province,
                                 password="!") for i in range(staff)], batch_size=1000)
for r in range(rounds):
    draft = MessageDraft(subject=f"新服务规范 {r}", body="自下周一起执行新的服务规范，请确认已阅读。" * 5,
                         display="popup", priority=3, sound=True,
                         targets=[Target(kind="org", id=province.pk, subtree=True)])
    sent_before = realtime.counts["sent"]
    start = time.perf_counter()
    outcome = message_send(actor=sup, draft=draft, idempotency_key=f"bench-{r}")
    took = time.perf_counter() - start
    rows = Delivery.objects.filter(message=outcome.message).count()
    assert rows == staff, (rows, staff)
    print(took, rows, realtime.counts["sent"] - sent_before, " ".join(f"{x:.2f}" for x in os.getloadavg()),
          flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"internal message fan-out to {args.staff:,} recipients, {args.rounds} rounds; load before {load}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-messages-") as tmp:
        backends = [("sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp))]
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            backends.append(("postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)))
        try:
            for label, env in backends:
                env["KEFU_LOG_LEVEL"] = "WARNING"
                run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
                out = run_or_exit([sys.executable, "-c", _RUN, str(args.staff), str(args.rounds)], env)
                best = None
                for i, line in enumerate(out.split("\n")):
                    if not line.strip():
                        continue
                    took, rows, batches, *load = line.split()
                    took_s, n = float(took), int(rows)
                    best = min(best or took_s, took_s)
                    print(f"{label:<10} round {i + 1}  send {took_s * 1000:8.1f} ms   {n / took_s:9,.0f} rows/s   "
                          f"{n:,} deliveries, {batches} push batches   load {' '.join(load)}", flush=True)
                if best is not None:
                    print(f"{label:<10} best     send {best * 1000:8.1f} ms   {args.staff / best:9,.0f} rows/s",
                          flush=True)
        finally:
            if not args.skip_postgres:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
