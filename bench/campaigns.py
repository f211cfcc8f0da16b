"""Importing a campaign's target list: 100,000 CSV rows read, checked and added, rows/s.

Per backend, a fresh database is migrated and given a province, an outbound queue, a manager, ``--known``
customers whose numbers are in the list (so the known/unknown lookup has work), a do-not-call list and
opt-outs for 1 % of the rows each, and one bad number and one duplicate per 1,000 rows. The timed part is
``import_run`` — what the worker runs — from reading the file to the last target and the error report
(progress saved every chunk). It prints rows/s beside the counts and the load average.

    .venv/bin/python bench/campaigns.py [--rows 100000] [--known 1000] [--skip-postgres]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/kefu_bench_campaigns (default)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench_campaigns")
KEFU = str(Path(sys.executable).with_name("kefu"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib.procs import kefu_env, pg_drop, pg_recreate, run_or_exit  # noqa: E402

_RUN = """
import sys, time, django; django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from kefu.campaigns.models import DoNotCall, Target
from kefu.campaigns.services.campaigns import CampaignData, campaign_create
from kefu.campaigns.services.imports import import_request, import_run
from kefu.contactcenter.models import Queue
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.outlets.services.optouts import optout_create

rows, known = int(sys.argv[1]), int(sys.argv[2])
org = make_org(code="GD", kind="province", name="广东省客服中心")
queue = Queue.objects.create(code="OUT", name="外呼队列", org=org)
manager = make_staff(org=org, perms=["campaigns.campaign.edit"], employee_no="CM1")
numbers = [str(13800000000 + i) for i in range(rows)]
from kefu.core.errors import Conflict
for i in range(0, min(known, rows)):
    for _try in range(5):  # a random certificate number may already be taken
        try:
            make_customer(org=org, name=f"客户{i}", number=numbers[i * (rows // max(known, 1))])
            break
        except Conflict:
            continue
DoNotCall.objects.bulk_create([DoNotCall(number=n) for n in numbers[5::100]])
for n in numbers[7::100]:
    optout_create(actor=manager, address=n, purpose="marketing", reason="bench")
lines = ["号码,姓名,备注"]
for i, n in enumerate(numbers):
    lines.append(f"{n},客户{i},离网倾向")
    if i % 1000 == 3:
        lines.append(f"12{i},坏号码,")
    if i % 1000 == 4:
        lines.append(f"{n},重复,")
campaign, _ = campaign_create(actor=manager, data=CampaignData(name="挽留", kind="retention", queue_id=queue.pk))
upload = SimpleUploadedFile("targets.csv", ("\\n".join(lines) + "\\n").encode())
imp = import_request(actor=manager, campaign=campaign, upload=upload)
start = time.perf_counter()
import_run(import_id=imp.pk)
took = time.perf_counter() - start
imp.refresh_from_db()
print(imp.state, imp.total, imp.accepted, imp.known, imp.rejected, imp.excluded,
      Target.objects.filter(campaign=campaign).count(), took)
"""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--known", type=int, default=1_000, help="customers among the rows (the rest unknown)")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(f"campaign target import: {args.rows:,} rows, {args.known:,} known customers; load before {_load()}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-campaigns-") as tmp:
        backends = [("sqlite", kefu_env(KEFU_SQLITE_PATH=str(Path(tmp) / "bench.sqlite3"), KEFU_VAR_DIR=tmp))]
        if not args.skip_postgres:
            pg_recreate(PG_URL)
            backends.append(("postgresql", kefu_env(DATABASE_URL=PG_URL, KEFU_VAR_DIR=tmp)))
        try:
            for label, env in backends:
                env["KEFU_LOG_LEVEL"] = "WARNING"
                run_or_exit([KEFU, "manage", "migrate", "--noinput"], env)
                out = run_or_exit([sys.executable, "-c", _RUN, str(args.rows), str(args.known)], env).split()
                state, total, accepted, known, rejected, excluded, targets, took = out[-8:]
                print(f"{label:<10} {state}: {int(total):,} rows in {float(took):.1f} s = "
                      f"{int(total) / float(took):,.0f} rows/s   accepted {int(accepted):,}, known {int(known):,}, "
                      f"rejected {int(rejected):,}, excluded {int(excluded):,}, targets {int(targets):,}; "
                      f"load {_load()}", flush=True)
        finally:
            if not args.skip_postgres:
                pg_drop(PG_URL)


if __name__ == "__main__":
    main()
