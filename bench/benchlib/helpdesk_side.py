"""The peer's side of bench/workorders.py: runs inside the peer's own virtual environment.

    <peer-venv>/bin/python bench/benchlib/helpdesk_side.py setup|load < args.json

with DJANGO_SETTINGS_MODULE pointing at the generated project (see
``helpdesk_peer.py``). Prints one JSON line as its result. Imports nothing from
Kefu: only Django, django-helpdesk and ``benchlib.bulkload``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for benchlib

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket, UserSettings  # noqa: E402

from benchlib import bulkload  # noqa: E402

User = get_user_model()
PASSWORD = "Bench2026peer"
QUEUES = [("GD", "广东省客服中心"), ("GZ", "广州分公司"), ("SZ", "深圳分公司"), ("FS", "佛山分公司")]
TITLES = ["套餐外流量资费争议", "营业厅服务态度差", "小区信号弱通话中断", "未经同意开通增值业务", "家庭宽带频繁掉线",
          "手机无法上网", "本月账单明细", "国际漫游开通规则"]
OPEN, REOPENED, RESOLVED, CLOSED = 1, 2, 3, 4


def setup(args: dict) -> dict:
    """Migrate, four queues, ``users`` staff users (one shared password hash) with their settings rows."""
    call_command("migrate", "--noinput", verbosity=0)
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1", "name": "bench"})
    queues = []
    for slug, title in QUEUES:
        q, _ = Queue.objects.get_or_create(slug=slug.lower(), defaults={"title": title})
        queues.append(q.pk)
    n = args["users"]
    pw = make_password(PASSWORD)
    now = timezone.now()
    existing = User.objects.count()
    if existing < n:
        uid = bulkload.next_id(User)
        bulkload.insert(User, (
            {"id": uid + i, "username": f"hd{existing + i + 1:06d}", "password": pw, "is_staff": True,
             "is_active": True, "is_superuser": False, "first_name": "", "last_name": "", "email": "",
             "date_joined": now, "last_login": None}
            for i in range(n - existing)))
        bulkload.reset_sequences(User)
        have = set(UserSettings.objects.values_list("user_id", flat=True))
        sid = bulkload.next_id(UserSettings)
        missing = [u for u in User.objects.values_list("id", flat=True) if u not in have]
        bulkload.insert(UserSettings, ({"id": sid + i, "user_id": u} for i, u in enumerate(missing)))
        bulkload.reset_sequences(UserSettings)
    users = list(User.objects.order_by("id").values_list("id", "username"))
    return {"queues": queues, "users": users, "password": PASSWORD}


def load(args: dict) -> dict:
    """Add tickets until there are ``to`` (not counting those the HTTP phases made).

    Same shape as Kefu's bulk load: 60 % open, 5 % reopened, 5 % resolved,
    30 % closed; open ones 70 % assigned over the user pool, 30 % unassigned;
    each probe user holds exactly ``probe_open`` open tickets; one follow-up per
    ticket ("Ticket Opened"), two for closed ones.
    """
    started = time.perf_counter()
    rng = random.Random(args.get("seed", 7) + args["to"])
    users = args["pool"]
    probes = args["probes"]
    queues = args["queues"]
    already = args["loaded"]
    count = args["to"] - already
    now = timezone.now()
    tid = bulkload.next_id(Ticket)
    fid = bulkload.next_id(FollowUp)
    probe_quota = [] if already else [p for p in probes for _ in range(args["probe_open"])]
    tickets, followups = [], []
    fdone = [0]

    def flush():
        bulkload.insert(Ticket, tickets)
        fdone[0] += bulkload.insert(FollowUp, followups)
        tickets.clear()
        followups.clear()

    for i in range(count):
        if len(tickets) >= 50_000:
            flush()
        t = tid + i
        r = rng.random()
        created = now - timedelta(days=rng.uniform(2, 365 if r >= 0.70 else 30))
        if i < len(probe_quota):
            status, owner = OPEN, probe_quota[i]
        elif r < 0.60:
            status, owner = OPEN, (rng.choice(users) if rng.random() < 0.7 else None)
        elif r < 0.65:
            status, owner = REOPENED, rng.choice(users)
        elif r < 0.70:
            status, owner = RESOLVED, rng.choice(users)
        else:
            status, owner = CLOSED, rng.choice(users)
        is_open = status in (OPEN, REOPENED)
        title = rng.choice(TITLES)
        tickets.append({
            "id": t, "title": title, "queue_id": rng.choice(queues), "created": created,
            "modified": created + timedelta(hours=rng.uniform(0, 24)), "submitter_email": f"c{t}@example.com",
            "assigned_to_id": owner, "status": status, "on_hold": False,
            "description": f"客户来电反映：{title}。请尽快核实处理，并回复客户处理结果。", "resolution": "" if is_open else "已处理",
            "priority": rng.choice((1, 2, 3, 3, 3, 4, 5)),
            "due_date": now + timedelta(hours=rng.uniform(8, 24 * 7)) if is_open else None,
            "last_escalation": None, "secret_key": f"{rng.getrandbits(40):010x}", "kbitem_id": None,
            "merged_to_id": None,
        })
        followups.append({"id": fid + fdone[0] + len(followups), "ticket_id": t, "date": created, "title": "Ticket Opened",
                          "comment": tickets[-1]["description"], "public": True, "user_id": owner,
                          "new_status": None, "message_id": None, "time_spent": None})
        if not is_open:
            followups.append({"id": fid + fdone[0] + len(followups), "ticket_id": t, "date": created + timedelta(days=1),
                              "title": "Closed", "comment": "已处理", "public": True, "user_id": owner,
                              "new_status": status, "message_id": None, "time_spent": None})
    flush()
    bulkload.reset_sequences(Ticket, FollowUp)
    bulkload.analyze(Ticket, FollowUp)
    return {"tickets": Ticket.objects.count(), "followups": FollowUp.objects.count(),
            "seconds": time.perf_counter() - started, "vendor": connection.vendor}


if __name__ == "__main__":
    cmd, raw = sys.argv[1], sys.stdin.read() or "{}"
    result = {"setup": setup, "load": load}[cmd](json.loads(raw))
    print(json.dumps(result))
