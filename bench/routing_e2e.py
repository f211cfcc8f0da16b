"""End-to-end offer latency: contact created through the CTI API → offer event on the agent's socket.

A fresh database gets one queue, a switch login and as many ready agents as the run will create
contacts (each agent receives one offer, so capacity never hides latency); a uvicorn server runs
Kefu against it; this process holds one WebSocket per agent and posts ``call.incoming`` events at
the target rate. Latency = offer received − request sent. The embedded worker is off, so every
offer comes from the on-commit routing path, not from the one-second safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: str, tmp: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(KEFU_VAR_DIR=tmp, KEFU_EMBEDDED_WORKER="0", KEFU_ALLOWED_HOSTS="127.0.0.1,localhost",
               KEFU_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="kefu.settings")
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/kefu_bench_routing_{os.getpid()}"
    return env


SETUP = r'''
import json, sys
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kefu.contactcenter.models import Queue, QueueSkill
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.simswitch.identity import switch_token_issue
from kefu.iam.models import SkillGroup, StaffSkill
from kefu.core.testing import make_org, make_staff
n = int(sys.argv[1])
org = make_org(code="GD", kind="province")
skill = SkillGroup.objects.create(code="general", name="general")
q = Queue.objects.create(code="GEN", name="GEN", org=org)
QueueSkill.objects.create(queue=q, skill_group=skill, min_level=1)
cookies = []
for i in range(n):
    a = make_staff(org=org, perms=["contactcenter.desk.use"], employee_no=f"B{i:05d}")
    StaffSkill.objects.create(staff=a, skill_group=skill, level=1 + i % 10)
    ag.agent_login(actor=a, extension=f"9{i:05d}")
    ag.agent_set_state(actor=a, state="ready")
    s = SessionStore()
    s[SESSION_KEY] = str(a.pk); s[BACKEND_SESSION_KEY] = "kefu.iam.auth.StaffBackend"
    s[HASH_SESSION_KEY] = a.get_session_auth_hash(); s.create()
    cookies.append(s.session_key)
print(json.dumps({"token": switch_token_issue(), "sessions": cookies}))
'''


def _percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def run(*, db: str, rate: float, seconds: float) -> None:
    n = int(rate * seconds)
    tmp = tempfile.mkdtemp(prefix="kefu-bench-routing-")
    env = _env(db, tmp)
    if db == "postgres":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        f"CREATE DATABASE kefu_bench_routing_{os.getpid()}"], check=True, env=env)
    server = None
    try:
        print(f"End-to-end offer latency on {db}: {n} contacts at {rate:g}/s to {n} ready agents")
        t = time.perf_counter()
        out = subprocess.run([PY, "-c", SETUP, str(n)], env=env, capture_output=True, text=True, check=True)
        setup = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  setup {time.perf_counter() - t:.1f} s")
        port = _free_port()
        server = subprocess.Popen([PY, "-m", "uvicorn", "kefu.asgi:application", "--port", str(port),
                                   "--log-level", "warning", "--no-access-log"], env=env, cwd=tmp)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        latencies = asyncio.run(_drive(port, setup, rate, n))
        _report(latencies, n)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if db == "postgres":
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f"DROP DATABASE IF EXISTS kefu_bench_routing_{os.getpid()}"], env=env)


async def _drive(port: int, setup: dict, rate: float, n: int) -> list[float]:
    import websockets

    sent: dict[str, float] = {}
    got: dict[str, float] = {}
    done = asyncio.Event()

    async def listen(session_key: str):
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/agent/",
                                      additional_headers={"Cookie": f"sessionid={session_key}"},
                                      open_timeout=30) as ws:
            ready.append(1)
            async for raw in ws:
                msg = json.loads(raw)
                if msg.get("type") == "offer":
                    caller = (msg.get("pop") or {}).get("caller")
                    got[caller] = time.perf_counter()
                    if len(got) >= n:
                        done.set()
                    return

    ready: list[int] = []
    listeners = [asyncio.create_task(listen(k)) for k in setup["sessions"]]
    while len(ready) < n:
        await asyncio.sleep(0.05)
    headers = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}
    local = threading.local()

    def post(i: int):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        caller = f"1880000{i:04d}"
        body = json.dumps({"type": "call.incoming", "call_id": f"bench-{i}", "caller": caller,
                           "called": "12345", "channel": "voice"})
        sent[caller] = time.perf_counter()
        conn.request("POST", "/api/contactcenter/cti/events", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"CTI answered {resp.status}")

    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = []
        for i in range(n):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            futures.append(loop.run_in_executor(pool, post, i))
        await asyncio.gather(*futures)
        achieved = n / (time.perf_counter() - start)
    with contextlib.suppress(TimeoutError):  # report what arrived
        await asyncio.wait_for(done.wait(), timeout=60)
    for task in listeners:
        task.cancel()
    print(f"  posted {n} contacts at {achieved:.1f}/s; offers received: {len(got)}")
    return [(got[c] - sent[c]) * 1000 for c in got if c in sent]


def _report(latencies: list[float], n: int) -> None:
    if not latencies:
        print("  no offers received")
        return
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    print(f"  offer latency ms: p50 {p50:.1f}  p90 {_percentile(latencies, 90):.1f}  p99 {p99:.1f}  "
          f"max {max(latencies):.1f}  mean {statistics.mean(latencies):.1f}   goal p99 < 50 ms: "
          f"{'OK' if p99 < 50 else 'not met'}")
