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
