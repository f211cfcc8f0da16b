"""End-to-end routing under load: a call reported by the switch → the offer on an agent's desktop socket.

    .venv/bin/python bench/routing.py --e2e --db postgres                      # 1, 2, 4 processes × 10, 30, 100, 300/s
    .venv/bin/python bench/routing.py --e2e --db sqlite                        # 1 process × the same rates
    .venv/bin/python bench/routing.py --e2e --db postgres --workers 4 --soak   # 100/s for 10 minutes
    .venv/bin/python bench/routing.py --e2e --db sqlite,postgres --workers 1 --agents 200 --rates 10,30 --seconds 20

Why it is shaped this way:

* Three kinds of process. This one (the orchestrator) builds the databases, starts the server and samples
  the machine; ``kefu serve --workers N`` is the server exactly as a site runs it (embedded worker on,
  Redis channel layer when N > 1); the load generator (``benchlib/e2e_generator.py``) is a process of its
  own, so on a 2-core machine the client's Python does not run in the server's interpreter and the CPU
  each side used is printed apart. The orchestrator imports no Django: the database work (setup, the
  check after a run) runs in child processes, so one invocation measures SQLite and PostgreSQL in turn.
* Real traffic, not just arrivals. 1,000 agents hold the desktop's WebSocket with their session cookie and
  work every call through the desktop's API (accept, wrap-up) while the generator, as the switch, reports
  ``call.incoming``, ``call.answered`` and ``call.ended`` over the CTI's HTTP door: five requests per call,
  so the agents come back ready and 1,000 of them sustain 300 calls/s for minutes with a talk time of about
  a second (real calls last minutes; the routing work per call is the same). ``--desk-refresh 15`` adds
  the page's own refetch of the desk on every event and its heartbeat.
* Latency = offer received on the agent's socket − the call's arrival (when the switch was due to report
  it). Requests wait in the generator for one of a few keep-alive connections, so a server that falls
  behind shows its backlog in the latency instead of hiding it in the client; the client's own lag is
  printed too.
* Nothing lost, nothing doubled: after the grace period the database is asked which of the run's calls
  still wait (IVR, queued or ringing: lost) and whether any was answered by two agents; the server's log is
  searched for pushes that failed ("retrying") or were dropped.
* Every run ends on its own: arrivals stop early when a call has waited ``--give-up`` seconds without an
  offer or requests time out, and the run is reported as "ceiling reached" with its figures so far.
* Each run gets a fresh copy of one database set up once (PostgreSQL: ``CREATE DATABASE … TEMPLATE``;
  SQLite: a file copy), so earlier runs leave nothing behind. Every database and server made here is
  removed at the end, also on Ctrl-C.

Each figure is printed with the one-minute load average during its run (min–max) beside it: the machine
may be shared, and a load above the number of cores means the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

PY = sys.executable
GOAL_P99_MS = 50.0
TICK = os.sysconf("SC_CLK_TCK")
T0 = time.monotonic()


def log(msg: str) -> None:
    el = time.monotonic() - T0
    print(f"[{int(el // 60):02d}:{el % 60:04.1f}] {msg}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default="postgres", help="sqlite, postgres or both (comma-separated)")
    p.add_argument("--workers", default="", help="server processes, comma-separated (default: 1,2,4 on "
                                                   "PostgreSQL, 1 on SQLite)")
    p.add_argument("--rates", default="10,30,100,300", help="arrivals per second, comma-separated")
    p.add_argument("--rate", type=float, default=None, help="one rate (instead of --rates)")
    p.add_argument("--seconds", type=float, default=60.0, help="seconds of arrivals per run")
    p.add_argument("--soak", action="store_true", help="one long run instead: --soak-rate for --soak-seconds")
    p.add_argument("--soak-rate", type=float, default=100.0)
    p.add_argument("--soak-seconds", type=float, default=600.0)
    p.add_argument("--agents", type=int, default=1000)
    p.add_argument("--talk", default="0.5,1.5", help="talk time, seconds: uniform between the two")
    p.add_argument("--wrap", type=float, default=0.2, help="seconds between the hang-up and the wrap-up")
    p.add_argument("--even", action="store_true", help="evenly spaced arrivals instead of Poisson")
    p.add_argument("--desk-refresh", type=float, default=0.0, metavar="S",
                   help="also fetch the desk on every event and every S seconds per agent, as the page does")
    p.add_argument("--connections", type=int, default=0,
                   help="keep-alive connections per pool, switch and desks (default: 8 per server process)")
    p.add_argument("--grace", type=float, default=30.0, help="seconds to wait for the last offers after a run")
    p.add_argument("--give-up", type=float, default=30.0,
                   help="stop arrivals when a call has waited this long without an offer (ceiling reached)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds before one HTTP request counts as failed")
    p.add_argument("--no-worker", action="store_true", help="serve without the embedded worker (no 1 s safety net)")
    p.add_argument("--router", default="service", help="KEFU_ROUTER for the server ('' to leave it unset)")
    p.add_argument("--redis-url", default=os.environ.get("KEFU_BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
                   help="channel layer for several processes; its database is flushed before each run")
    p.add_argument("--redis-always", action="store_true", help="use Redis with one process too")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--keep", action="store_true", help="keep var/bench/e2e-* (server and generator logs)")
    p.add_argument("--json", default="", help="also write every run's figures to this file")
    args = p.parse_args(argv)
    args.dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if any(d not in ("sqlite", "postgres") for d in args.dbs):
        p.error("--db takes sqlite, postgres or both")
    args.rate_list = [args.rate] if args.rate else [float(r) for r in args.rates.split(",") if r.strip()]
    args.talk_span = tuple(float(x) for x in args.talk.split(","))[:2]
    if len(args.talk_span) == 1:
        args.talk_span = (args.talk_span[0], args.talk_span[0])
    return args


def workers_for(args, db: str) -> list[int]:
    if args.workers:
        return [int(w) for w in args.workers.split(",") if w.strip()]
    return [1, 2, 4] if db == "postgres" else [1]


# --- processes and the machine ----------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a Kefu child: this worktree's sources first, no database of the caller's."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "KEFU_SQLITE_PATH", "REDIS_URL", "KEFU_ROUTER")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    env.update({k: v for k, v in extra.items() if v != ""})
    return env


def cpu_of(pids) -> dict[int, float]:
    """CPU seconds (user + system) each live process has used since it started."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two ``cpu_of`` readings (a process born in between counts in full)."""
    return sum(v - before.get(pid, 0.0) for pid, v in after.items())


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def connections_per_process(pids, port: int) -> dict[int, int]:
    """Established TCP connections to ``port`` each process holds (sockets and keep-alive HTTP alike)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "01" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                        established.add(cols[9])  # inode
        except OSError:
            continue
    out = {}
    for pid in pids:
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        n = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in established)
        if n:
            out[pid] = n
    return out


def logged_errors(text: str) -> dict[str, int]:
    """Tracebacks in a log by their final exception (a chain of exceptions counts once, by its last)."""
    lines = text.splitlines()
    kinds: dict[str, int] = {}
    i = 0
    while i < len(lines):
        if not lines[i].startswith("Traceback (most recent call last)"):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (lines[j].startswith(" ") or not lines[j]):
            j += 1
        k = j + 1
        while k < len(lines) and not lines[k]:
            k += 1
        if k < len(lines) and lines[k].startswith(("During handling of the above", "The above exception")):
            i = k + 1  # chained: the next traceback ends the chain
            continue
        last = lines[j][:120] if j < len(lines) else "?"
        kinds[last] = kinds.get(last, 0) + 1
        i = j + 1
    return kinds


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:9]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler:
    """The load average every second while a run goes, and CPU counters at the arrivals' start and end."""

    def __init__(self):
        self.loads: list[tuple[float, float]] = []  # (seconds since the arrivals started, 1-min load)
        self.start = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.cpu: dict[str, list[float]] = {}

    def _loop(self):
        while not self._stop.wait(1.0):
            if self.start:
                self.loads.append((time.monotonic() - self.start, os.getloadavg()[0]))

    def begin(self):
        self._thread.start()

    def end(self):
        self._stop.set()

    def load_span(self) -> tuple[float, float, float]:
        values = [v for _t, v in self.loads] or [os.getloadavg()[0]]
        return min(values), sum(values) / len(values), max(values)

    def load_between(self, a: float, b: float) -> float:
        values = [v for t, v in self.loads if a <= t < b]
        return sum(values) / len(values) if values else float("nan")


def pg_backends(url: str) -> list[int]:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])]


def admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def pg_execute(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url(base), autocommit=True) as conn:
        conn.execute(sql)


# --- one run ---------------------------------------------------------------------------------


@dataclass
class Run:
    db: str
    workers: int
    rate: float
    seconds: float
    figures: dict = field(default_factory=dict)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


class Bench:
    def __init__(self, args):
        from benchlib import procs

        self.args = args
        self.procs = procs
        procs.install_signal_handlers()
        self.dir = procs.temp_dir(ROOT / "var" / "bench", "e2e-", keep=args.keep)
        self.runs: list[Run] = []
        self.n = 0

    # -- databases
    def template(self, db: str) -> tuple[dict, dict]:
        """Set up the database every run of ``db`` starts from; returns (its env, the setup's output)."""
        if db == "postgres":
            url = self.procs.pg_create(self.args.pg_url, f"kefu_bench_e2e_tpl_{os.getpid()}")
            env = {"DATABASE_URL": url}
        else:
            env = {"KEFU_SQLITE_PATH": str(self.dir / "template.sqlite3")}
        out = self.dir / f"setup-{db}.json"
        log(f"{db}: setting up {self.args.agents} agents (migrate, login, ready) …")
        self.child(["--setup-db", str(self.args.agents), str(out)], env)
        setup = json.loads(out.read_text())
        log(f"{db}: set up in {setup['setup_s']} s (migrate {setup['migrate_s']} s)")
        return env, setup

    def clone(self, db: str, template_env: dict) -> tuple[dict, callable]:
        self.n += 1
        if db == "postgres":
            tpl = urlsplit(template_env["DATABASE_URL"]).path.lstrip("/")
            name = f"kefu_bench_e2e_{os.getpid()}_{self.n}"
            pg_execute(self.args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg_execute(self.args.pg_url, f'CREATE DATABASE "{name}" TEMPLATE "{tpl}"')
            url = urlunsplit(urlsplit(self.args.pg_url)._replace(path=f"/{name}"))

            def drop():
                pg_execute(self.args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            return {"DATABASE_URL": url}, drop
        src = Path(template_env["KEFU_SQLITE_PATH"])
        dst = self.dir / f"run-{self.n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{src}{suffix}").exists():
                shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")

        def remove():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dst}{suffix}").unlink(missing_ok=True)

        return {"KEFU_SQLITE_PATH": str(dst)}, remove

    def child(self, argv: list[str], env: dict) -> None:
        done = subprocess.run([PY, str(Path(__file__).resolve()), *argv], env=child_env(**env),
                              capture_output=True, text=True, cwd=self.dir)
        if done.returncode:
            raise RuntimeError(f"{argv[0]} failed:\n{done.stderr[-4000:]}")

    # -- a run
    def run(self, db: str, workers: int, rate: float, seconds: float, template_env: dict, setup: dict) -> Run:
        """One run; whatever breaks in it is reported as its result, and the next run goes on."""
        run = Run(db, workers, rate, seconds)
        log(f"run: {db}, {workers} process{'es' if workers > 1 else ''}, {rate:g}/s for {seconds:g} s")
        db_env, drop = self.clone(db, template_env)
        self.procs.on_cleanup(drop)
        try:
            run.figures = self._measure(run, db_env, setup)
        except Exception as exc:  # noqa: BLE001 - one broken run must not lose the others' figures
            run.figures = {"verdict": f"run failed: {type(exc).__name__}: {str(exc)[:300]}", "load": {
                "min": os.getloadavg()[0], "max": os.getloadavg()[0]}, "pushes_dropped": "?", "pushes_retried": "?"}
        finally:
            drop()
        self.runs.append(run)
        print(self._line(run), flush=True)
        return run

    def _measure(self, run: Run, db_env: dict, setup: dict) -> dict:
        a, db, workers, rate, seconds = self.args, run.db, run.workers, run.rate, run.seconds
        redis = a.redis_url if (workers > 1 or a.redis_always) else ""
        if redis:
            import redis as redis_client

            redis_client.Redis.from_url(redis).flushdb()  # groups left by an earlier run's processes
        env = child_env(**db_env, KEFU_VAR_DIR=str(self.dir / "var"), REDIS_URL=redis, KEFU_ROUTER=a.router,
                        KEFU_EMBEDDED_WORKER="0" if a.no_worker else "")
        server_log = self.dir / f"server-{self.n}.log"
        server = self.procs.Server(f"kefu serve --workers {workers}",
                                   [PY, "-m", "kefu.cli", "serve", "--workers", str(workers)],
                                   env, server_log, "/api/version", cwd=str(self.dir))
        gen = None
        sampler = Sampler()
        try:
            server.start()
            self._wait_processes(server, workers)
            plan = {"port": server.port, "token": setup["token"], "agents": setup["agents"][: a.agents],
                    "rate": rate, "seconds": seconds, "prefix": f"e2e{self.n}-", "warm_prefix": f"w{self.n}-",
                    "talk": list(a.talk_span), "wrap": a.wrap, "grace": a.grace, "give_up": a.give_up,
                    "timeout": a.timeout, "connections": a.connections or 8 * workers, "poisson": not a.even,
                    "seed": self.n, "desk_refresh": a.desk_refresh, "progress": 60.0 if seconds > 120 else 10.0}
            plan_path, out_path = self.dir / f"plan-{self.n}.json", self.dir / f"result-{self.n}.json"
            plan_path.write_text(json.dumps(plan))
            sampler.begin()
            cpu: dict = {}
            gen = subprocess.Popen(
                [PY, str(BENCH / "benchlib" / "e2e_generator.py"), str(plan_path), str(out_path)],
                env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)

            def snapshot(key: str):
                tree = descendants(server.proc.pid)
                if key == "b":
                    cpu["connections"] = connections_per_process(tree, server.port)
                cpu[key] = {"t": time.monotonic(), "server": cpu_of(tree), "generator": cpu_of([gen.pid]),
                            "machine": machine_busy()}
                if db == "postgres":
                    cpu[key]["database"] = cpu_of(pg_backends(db_env["DATABASE_URL"]))

            def relay():
                for line in gen.stdout:
                    if line.startswith("@@start"):
                        sampler.start = time.monotonic()
                        snapshot("a")
                    elif line.startswith("@@end"):
                        snapshot("b")
                    else:
                        print(line, end="", flush=True)

            reader = threading.Thread(target=relay, daemon=True)
            reader.start()
            # Sockets and warm-up (≤ 2 min), the arrivals, the grace for the last offers and calls: then it is hung.
            limit = 120 + seconds + 2 * a.grace + a.give_up + a.timeout + 60
            try:
                gen.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                gen.kill()
                gen.wait()
            reader.join(5)
        finally:
            sampler.end()
            if gen is not None and gen.poll() is None:
                gen.kill()
                gen.wait()
            server.stop()
        result = json.loads(out_path.read_text()) if out_path.exists() else None
        check = self._check(db_env, plan["prefix"])
        return self._figures(rate, seconds, result, check, server_log.read_text(errors="replace"), cpu, sampler)

    def _wait_processes(self, server, workers: int) -> None:
        """With several processes, wait until each has started (uvicorn logs one line per process)."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            started = server.log_path.read_text(errors="replace").count("Started server process")
            if started >= workers:
                break
            time.sleep(0.3)
        time.sleep(1.0)

    def _check(self, db_env: dict, prefix: str) -> dict:
        out = self.dir / f"check-{self.n}.json"
        try:
            self.child(["--check-db", prefix, str(out)], db_env)
            return json.loads(out.read_text())
        except RuntimeError as exc:
            log(f"  database check failed: {exc}")
            return {}

    def _figures(self, rate, seconds, r, check, log_text, cpu, sampler) -> dict:
        f: dict = {"target": rate, "seconds": seconds}
        # kefu.contactcenter.realtime: "push of N event(s) failed (…); retrying in …", "… dropped after a retry …"
        pushes = [line for line in log_text.splitlines() if "push of" in line]
        f["pushes_dropped"] = sum(1 for line in pushes if "dropped after a retry" in line)
        f["pushes_retried"] = sum(1 for line in pushes if "; retrying in" in line)
        f["server_5xx"] = sum(1 for line in log_text.splitlines() if '" 5' in line and "HTTP/1.1" in line)
        # Faults while serving; the ones logged after the server was told to stop are counted apart.
        serving, _sep, stopping = log_text.partition("Shutting down")
        f["server_errors"] = logged_errors(serving)
        f["tracebacks"] = sum(f["server_errors"].values())
        f["tracebacks_at_stop"] = sum(logged_errors(stopping).values())
        lo, mean, hi = sampler.load_span()
        f["load"] = {"min": lo, "mean": mean, "max": hi}
        db_offers = check.pop("offer_ids", [])
        f["check"] = check
        f["lost"] = check.get("lost")
        f["doubled"] = check.get("doubled")
        if r is None:
            f["verdict"] = "generator did not finish (killed)"
            return f
        lat = [x[1] for x in r["latencies"]]
        window = r["window_s"]
        f.update(arrived=r["arrived"], posted_ok=r["posted_ok"], offered=r["offered"],
                 achieved=r["posted_ok"] / window if window else 0.0, window=window,
                 p50=percentile(lat, 50), p90=percentile(lat, 90), p99=percentile(lat, 99),
                 max=max(lat) if lat else float("nan"),
                 p99_from_write=percentile([x[2] for x in r["latencies"]], 99),
                 client_lag_p99=percentile(r["client_lag_ms"], 99),
                 incoming_p50=percentile(r["incoming_ms"], 50), incoming_p99=percentile(r["incoming_ms"], 99),
                 errors=r["errors"], error_count=sum(r["errors"].values()), stop_reason=r["stop_reason"],
                 unoffered=r["unoffered_n"], reoffered=r["reoffered"], expired=r["expired"],
                 offer_while_busy=r["offer_while_busy"], min_free_agents=r["min_free_agents"],
                 loop_lag_max_ms=r["loop_lag_max_ms"], sockets_per_server=r["sockets_per_server"],
                 connected=r["connected"], connect_s=r["connect_s"], completed=r["completed"],
                 busy_at_end=r["busy_at_end"], timeouts=r["timeouts"], warm_up=r["warm_up"],
                 events=r["events"], repeated=r["repeated"],
                 # Offers the database holds for the run's calls that no agent's socket ever showed: pushes
                 # lost on the way, whether or not the server noticed. (Not the ones made in the generator's
                 # last 5 s, which a server past its ceiling makes while the generator is leaving.)
                 unseen=len({o for o, at in db_offers if at < r["stopped_listening"] - 5} - set(r["offer_ids"])))
        if "a" in cpu and "b" in cpu:
            a, b = cpu["a"], cpu["b"]
            wall = b["t"] - a["t"]
            # Percent of one core; the machine's figure is out of 100 × cores.
            f["cpu"] = {k: cpu_used(a[k], b[k]) / wall * 100 for k in ("server", "generator", "database") if k in a}
            f["cpu"]["machine"] = ((b["machine"][0] - a["machine"][0]) / (b["machine"][1] - a["machine"][1])
                                   * 100 * (os.cpu_count() or 1))
        f["per_minute"] = self._per_minute(r["latencies"], sampler) if seconds >= 180 else []
        # What each server process held as the arrivals ended: agents' sockets, and HTTP connections besides.
        f["spread"] = {str(pid): {"sockets": r["sockets_per_server"].get(str(pid), 0),
                                  "http": n - r["sockets_per_server"].get(str(pid), 0)}
                       for pid, n in sorted(cpu.get("connections", {}).items())}
        # Held: every arrival was taken by the server and offered, nothing timed out. (Not "achieved ≥ target":
        # a Poisson run of 20 s at 10/s brings anywhere from about 180 to 220 calls.)
        held = (not r["stop_reason"] and r["unoffered_n"] == 0 and not check.get("lost")
                and r["posted_ok"] >= r["arrived"] and not r["timeouts"])
        clean = (f["pushes_dropped"] == 0 and not f["unseen"] and not check.get("doubled") and f["error_count"] == 0
                 and not f["server_5xx"] and not f["tracebacks"])
        if not held:
            f["verdict"] = "ceiling reached" + (f": {r['stop_reason']}" if r["stop_reason"] else "")
        elif not clean:
            f["verdict"] = "held, with faults"
        else:
            f["verdict"] = "held, p99 < 50 ms" if f["p99"] < GOAL_P99_MS else "held, p99 ≥ 50 ms"
        if held and r["min_free_agents"] == 0:  # (past the ceiling every agent ends up waiting on the server)
            f["verdict"] += " (agents ran out: more --agents or a shorter --talk)"
        return f

    @staticmethod
    def _per_minute(latencies, sampler) -> list[dict]:
        rows: dict[int, list[float]] = {}
        for t, ms, *_rest in latencies:
            rows.setdefault(int(t // 60), []).append(ms)
        return [{"minute": m + 1, "offers": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99),
                 "max": max(v), "load": sampler.load_between(m * 60, (m + 1) * 60)} for m, v in sorted(rows.items())]

    # -- printing
    @staticmethod
    def _line(run: Run) -> str:
        f = run.figures
        if "p50" not in f:
            return f"  → {f['verdict']}"
        cpu = f.get("cpu", {})
        return (f"  → achieved {f['achieved']:.1f}/s of {f['target']:g}/s, {f['offered']}/{f['posted_ok']} offered; "
                f"offer ms p50 {f['p50']:.0f} p90 {f['p90']:.0f} p99 {f['p99']:.0f} max {f['max']:.0f}; "
                f"lost {f['lost']}, doubled {f['doubled']}, offers not received {f['unseen']}, "
                f"pushes dropped {f['pushes_dropped']} "
                f"(retried {f['pushes_retried']}), errors {f['error_count']} client / {f['tracebacks']} server; "
                f"load {f['load']['min']:.2f}–{f['load']['max']:.2f}; CPU % server {cpu.get('server', 0):.0f} "
                f"generator {cpu.get('generator', 0):.0f}"
                + (f" postgres {cpu['database']:.0f}" if "database" in cpu else "")
                + f" machine {cpu.get('machine', 0):.0f}/{os.cpu_count() * 100}; {f['verdict']}")

    @staticmethod
    def _spread(f: dict) -> str:
        spread = f.get("spread") or {}
        return ", ".join(f"{v['sockets']} sockets + {v['http']} HTTP" for v in spread.values()) or "?"

    def table(self) -> str:
        head = ("| database | processes | target/s | achieved/s | calls | offered | p50 ms | p90 ms | p99 ms | max ms "
                "| lost | doubled | offers not received | pushes dropped (retried) | errors client / server "
                "| load avg (min–max) "
                "| CPU % server / generator / db / machine | result |")
        lines = [head, "|" + "---|" * (head.count("|") - 1)]
        for run in self.runs:
            f = run.figures
            db = "PostgreSQL" if run.db == "postgres" else "SQLite"
            load = f"{f['load']['min']:.2f}–{f['load']['max']:.2f}"
            if "p50" not in f:
                lines.append(f"| {db} | {run.workers} | {run.rate:g} | — | — | — | — | — | — | — | {f.get('lost')} "
                             f"| {f.get('doubled')} | — | {f['pushes_dropped']} ({f['pushes_retried']}) | — | {load} | — "
                             f"| {f['verdict']} |")
                continue
            cpu = f.get("cpu", {})
            cpu_text = (f"{cpu.get('server', 0):.0f} / {cpu.get('generator', 0):.0f} / "
                        f"{cpu['database']:.0f}" if "database" in cpu else
                        f"{cpu.get('server', 0):.0f} / {cpu.get('generator', 0):.0f} / —")
            cpu_text += f" / {cpu.get('machine', 0):.0f}"
            lines.append(
                f"| {db} | {run.workers} | {run.rate:g} | {f['achieved']:.1f} | {f['posted_ok']:,} | {f['offered']:,} "
                f"| {f['p50']:.0f} | {f['p90']:.0f} | {f['p99']:.0f} | {f['max']:.0f} | {f['lost']} | {f['doubled']} "
                f"| {f['unseen']} | {f['pushes_dropped']} ({f['pushes_retried']}) | {f['error_count']} / {f['tracebacks']} | {load} "
                f"| {cpu_text} | {f['verdict']} |")
        return "\n".join(lines)

    def details(self) -> str:
        out = []
        for i, run in enumerate(self.runs, 1):
            f = run.figures
            if "p50" not in f:
                continue
            c = f["check"]
            out.append(
                f"{i}. {run.db} ×{run.workers} at {run.rate:g}/s: arrivals for {f['window']:.1f} s; "
                f"call.incoming answered in p50 {f['incoming_p50']:.0f} / p99 {f['incoming_p99']:.0f} ms; "
                f"offer p99 counted from the request's write {f['p99_from_write']:.0f} ms, client lag p99 "
                f"{f['client_lag_p99']:.0f} ms, generator loop lag max {f['loop_lag_max_ms']:.0f} ms; "
                f"sockets {f['connected']} in {f['connect_s']} s; per server process {self._spread(f)}; "
                f"calls worked to the end {f['completed']}, agents busy at the end {f['busy_at_end']}, "
                f"fewest free agents {f['min_free_agents']}; offers expired {f['expired']}, calls offered again "
                f"{f['reoffered']}, offered while busy {f['offer_while_busy']}, offer events repeated {f['repeated']}; "
                f"events {f['events']}; server timestamps: arrival → queued {c.get('arrival_to_queue_ms')}, queued → "
                f"offer made {c.get('queue_to_offer_ms')} ms; database: contacts "
                f"{c.get('states')}, never offered {c.get('never_offered')}, offer times overlapping "
                f"{c.get('contact_overlaps')} contacts (max {c.get('contact_overlap_max_ms')} ms) and "
                f"{c.get('agent_overlaps')} agents (max {c.get('agent_overlap_max_ms')} ms); server 5xx {f['server_5xx']}, errors logged {f['server_errors'] or 0} "
                f"(at stop {f['tracebacks_at_stop']}); warm-up {f['warm_up']}"
                + (f"; errors {f['errors']}" if f["errors"] else ""))
            for m in f.get("per_minute", []):
                out.append(f"   minute {m['minute']:>2}: {m['offers']} offers, p50 {m['p50']:.0f} ms, "
                           f"p99 {m['p99']:.0f} ms, max {m['max']:.0f} ms (load {m['load']:.2f})")
        return "\n".join(out)


def orchestrate(args) -> int:
    bench = Bench(args)
    try:
        print(f"End-to-end routing: {args.agents} agents on WebSockets, talk {args.talk_span[0]:g}–"
              f"{args.talk_span[1]:g} s, wrap-up after {args.wrap:g} s, {'even' if args.even else 'Poisson'} "
              f"arrivals; embedded worker {'off' if args.no_worker else 'on'}; KEFU_ROUTER={args.router or '(unset)'}; "
              f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        for db in args.dbs:
            template_env, setup = bench.template(db)
            for workers in workers_for(args, db):
                if args.soak:
                    bench.run(db, workers, args.soak_rate, args.soak_seconds, template_env, setup)
                    continue
                for rate in args.rate_list:
                    bench.run(db, workers, rate, args.seconds, template_env, setup)
    except KeyboardInterrupt:
        print("interrupted" + ("; the runs that finished:" if bench.runs else " before any run finished"), flush=True)
    finally:
        if bench.runs:
            print("\n" + bench.table() + "\n\n" + bench.details(), flush=True)
            if args.json:
                Path(args.json).write_text(json.dumps([{"db": r.db, "workers": r.workers, "rate": r.rate,
                                                        "seconds": r.seconds, **r.figures} for r in bench.runs],
                                                      indent=1, default=str))
        bench.procs.cleanup()
    return 0


# --- child modes --------------------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def child_main(argv: list[str]) -> bool:
    """The database children: ``--setup-db AGENTS OUT`` and ``--check-db PREFIX OUT``."""
    if argv[:1] == ["--setup-db"]:
        _django()
        from benchlib import e2e_kefu

        Path(argv[2]).write_text(json.dumps(e2e_kefu.setup(agents=int(argv[1]))))
        return True
    if argv[:1] == ["--check-db"]:
        _django()
        from benchlib import e2e_kefu

        Path(argv[2]).write_text(json.dumps(e2e_kefu.check(prefix=argv[1])))
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if child_main(argv):
        return 0
    return orchestrate(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
