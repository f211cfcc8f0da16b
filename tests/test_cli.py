"""The ``kefu`` command as a newcomer runs it (subprocesses on a temporary SQLite file)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

KEFU = str(Path(sys.executable).with_name("kefu"))


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KEFU_VAR_DIR"] = str(tmp_path)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_seed_is_idempotent(tmp_path):
    env = _env(tmp_path)
    first = subprocess.run([KEFU, "seed", "--customers", "30", "--staff", "12"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    count = [KEFU, "manage", "shell", "-c",
             "from kefu.iam.models import Staff; from kefu.orgs.models import Organisation;"
             "print(Staff.objects.count(), Organisation.objects.count())"]
    before = subprocess.run(count, env=env, capture_output=True, text=True, timeout=120).stdout.split()[-2:]
    again = subprocess.run([KEFU, "seed", "--customers", "30", "--staff", "12"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    after = subprocess.run(count, env=env, capture_output=True, text=True, timeout=120).stdout.split()[-2:]
    assert before == after == ["12", str(len(__import__("kefu.demo.structure", fromlist=["ORGS"]).ORGS))]


def test_demo_migrates_seeds_serves_and_prints_logins(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [KEFU, "demo", "--port", str(port), "--customers", "20", "--staff", "6"], env=_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 180
        body = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"kefu demo exited: {proc.stdout.read()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/version", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body and '"version"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/iam/login/", timeout=5) as r:
            page = r.read().decode()
            assert "登录" in page
            assert "/static/vendor/htmx.min.js" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/core/kefu.css", timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "admin" in out and "Kefu2026demo" in out


def test_serve_refuses_several_workers_without_redis(tmp_path):
    env = {k: v for k, v in _env(tmp_path).items() if k != "REDIS_URL"}
    run = subprocess.run([KEFU, "serve", "--workers", "2", "--port", str(_free_port())], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "REDIS_URL" in run.stderr and "in-memory channel layer cannot span processes" in run.stderr


_SETUP = """
from django.test import Client
from kefu.core.testing import make_org, make_staff
from kefu.iam.services.tokens import api_token_create
agent = make_staff(org=make_org(code="GD"), perms=["contactcenter.desk.use"], employee_no="AG1")
browser = Client()
browser.force_login(agent)
print("SETUP", agent.pk, browser.cookies["sessionid"].value, api_token_create(actor="test", name="t", staff=agent)[1])
"""


@pytest.mark.skipif(not os.environ.get("KEFU_TEST_REDIS_URL"), reason="needs Redis (KEFU_TEST_REDIS_URL)")
def test_two_server_processes_serve_and_a_push_crosses_from_one_to_the_other(tmp_path):
    """`kefu serve --workers 2` with Redis: both processes answer, and an agent's socket held by one process
    hears the state change that a request served by the other process pushed."""
    import json
    from contextlib import ExitStack

    from websockets.sync.client import connect

    env = {**_env(tmp_path), "REDIS_URL": os.environ["KEFU_TEST_REDIS_URL"], "KEFU_WORKER_POLL_SECONDS": "0.5"}
    migrate = subprocess.run([KEFU, "manage", "migrate", "--noinput", "-v", "0"], env=env, capture_output=True,
                             text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    setup = subprocess.run([KEFU, "manage", "shell", "-c", _SETUP], env=env, capture_output=True, text=True,
                           timeout=120)
    assert setup.returncode == 0, setup.stderr
    staff_id, session, token = next(ln for ln in setup.stdout.splitlines() if ln.startswith("SETUP")).split()[1:]
    port = _free_port()
    base = f"127.0.0.1:{port}"
    proc = subprocess.Popen([KEFU, "serve", "--workers", "2", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sockets = ExitStack()
    try:
        pids = set()
        deadline = time.monotonic() + 120
        while len(pids) < 2 and time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"kefu serve exited: {proc.stdout.read()}")
            try:
                with urllib.request.urlopen(f"http://{base}/healthz", timeout=2) as r:
                    pids.add(json.loads(r.read())["pid"])
            except OSError:
                time.sleep(0.2)
        assert len(pids) == 2, "one process answered every request"
        assert proc.pid not in pids  # the supervising process serves nothing

        held = {}  # server pid -> an agent socket that process holds
        while len(held) < 2 and time.monotonic() < deadline:
            ws = sockets.enter_context(connect(f"ws://{base}/ws/agent/", open_timeout=10,
                                               additional_headers={"Cookie": f"sessionid={session}"}))
            hello = json.loads(ws.recv(timeout=10))
            assert hello["type"] == "hello" and hello["group"] == f"agent-{staff_id}"
            held.setdefault(hello["server"], ws)
        assert set(held) == pids

        request = urllib.request.Request(
            f"http://{base}/api/contactcenter/agent/login", data=json.dumps({"extension": "8001"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as r:
            assert r.status == 200
        # Whichever process served the request, the socket held by the other one hears the push too.
        for ws in held.values():
            event = json.loads(ws.recv(timeout=10))
            assert event["type"] == "agent.state" and event["staff"] == int(staff_id)

        beats = subprocess.run([KEFU, "manage", "shell", "-c", "from kefu.core.models import WorkerHeartbeat;"
                                "print('BEATS', *WorkerHeartbeat.objects.values_list('name', flat=True))"],
                               env=env, capture_output=True, text=True, timeout=120)
        # One background worker for the whole server, in the supervising process: not one per server process.
        assert next(ln for ln in beats.stdout.splitlines() if ln.startswith("BEATS")).split()[1:] == [
            f"embedded:{proc.pid}"]

        # With Redis the router is a process of its own, a child of the supervisor, and it is the one
        # holding the router lease (the server processes run no candidate).
        children = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(proc.pid)], capture_output=True,
                                  text=True).stdout.splitlines()
        routers = [int(ln.split()[0]) for ln in children if "kefu.cli router" in ln]
        assert len(routers) == 1, children
        holder = ""
        while not holder and time.monotonic() < deadline:
            lease = subprocess.run([KEFU, "manage", "shell", "-c", "from kefu.contactcenter.models import "
                                    "RouterLease; print('LEASE', *RouterLease.objects.values_list('holder', "
                                    "flat=True))"], env=env, capture_output=True, text=True, timeout=120)
            holder = " ".join(next(ln for ln in lease.stdout.splitlines() if ln.startswith("LEASE")).split()[1:])
        assert holder.split(":")[1] == str(routers[0])
    finally:
        sockets.close()
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "processes share one SQLite file" in out
