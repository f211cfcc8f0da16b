"""Work-order benchmark: Kefu against django-helpdesk, over real HTTP, on one database engine.

    .venv/bin/python bench/workorders.py --db sqlite                 # quick: 100k orders, a few minutes
    .venv/bin/python bench/workorders.py --db postgres
    .venv/bin/python bench/workorders.py --db postgres --sizes 100000,1000000

Measures, for Kefu and (where the peer has the operation) for django-helpdesk
in the same run, against a server process started here (uvicorn, one process,
the same uvicorn/Django/psycopg versions for both):

  (a) create throughput through the API, ``--threads`` clients on keep-alive connections;
      a status change (Kefu: ``accept``; helpdesk: close through its update form);
  (c) full complaint life cycles per second (create → accept → dispatch to GZ →
      process → review → reply with satisfaction → close; the peer: create and six
      updates through its update form: take, assign, comment, resolve, reply, close);
  (b) "my work" latency p50/p95 for holders with ``--probe-open`` open orders, after
      bulk-loading each of ``--sizes`` orders (peer: its staff list JSON, my open tickets);
  (d) the timer sweep: a pass with nothing due, and firing ``--due`` due timers.

Every database is made for the run and dropped at the end (PostgreSQL: a fresh
database on ``--pg-url``; SQLite: files in var/bench/). Exits non-zero when any
request fails or a phase breaks. Figures are wall-clock on a shared 2-core
machine: run twice before believing a difference under ~20 %.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import procs  # noqa: E402
from benchlib.client import Conn, Exhausted, LoadResult, percentile, run_load  # noqa: E402

T0 = time.monotonic()
FAILURES: list[str] = []


def log(msg: str) -> None:
    el = time.monotonic() - T0
    print(f"[{int(el // 60):02d}:{el % 60:04.1f}] {msg}", flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--sizes", default="100000", help="comma-separated order counts for (b) and (d)")
    p.add_argument("--threads", type=int, default=4, help="concurrent HTTP clients for (a) and (c)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per throughput phase, system and round")
    p.add_argument("--rounds", type=int, default=2, help="alternating rounds per throughput phase; best counts")
    p.add_argument("--staff", type=int, default=0, help="staff / peer users (default: max(1000, size/200))")
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--probes", type=int, default=10, help="holders whose 'my work' is measured")
    p.add_argument("--probe-open", type=int, default=100, help="open orders each probe holder holds")
    p.add_argument("--latency-requests", type=int, default=300, help="'my work' requests per system and size")
    p.add_argument("--due", type=int, default=1000, help="timers made due for the sweep")
    p.add_argument("--idle-passes", type=int, default=30)
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
                   help="PostgreSQL server; the script creates and drops its own databases there")
    p.add_argument("--peer-venv", default=str(ROOT / "var" / "bench" / "peer-venv"))
    p.add_argument("--no-peer", action="store_true", help="Kefu figures only")
    p.add_argument("--no-throughput", action="store_true", help="skip (a) and (c); only the sizes: (b) and (d)")
    p.add_argument("--explain", action="store_true", help="print query plans of 'my work' and the timer claim")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--keep", action="store_true", help="keep the run directory (logs, SQLite files)")
    a = p.parse_args()
    a.sizes = sorted(int(s) for s in a.sizes.split(",") if s.strip())
    a.staff = a.staff or max(1000, max(a.sizes) // 200)
    return a


# --- results ----------------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, op: str, unit: str, kefu: float | None, peer: float | None, higher_better: bool,
            goal: str = "", met: bool | None = None, note: str = "") -> None:
        self.rows.append({"op": op, "unit": unit, "kefu": kefu, "peer": peer, "higher_better": higher_better,
                          "goal": goal, "met": met, "note": note})

    def print(self, title: str) -> None:
        def fmt(v):
            if v is None:
                return "—"
            return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}" if v >= 10 else f"{v:,.2f}"

        head = ("operation", "unit", "Kefu", "helpdesk", "Kefu/helpdesk", "goal")
        lines = []
        for r in self.rows:
            ratio = "—"
            if r["kefu"] and r["peer"]:
                ratio = f"{r['kefu'] / r['peer']:.2f}" + (" (higher=better)" if r["higher_better"]
                                                          else " (lower=better)")
            goal = r["goal"]
            if goal and r["met"] is not None:
                goal += "  MET" if r["met"] else "  NOT MET"
            lines.append((r["op"], r["unit"], fmt(r["kefu"]), fmt(r["peer"]), ratio, goal))
        widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=True)]
        print(f"\n{title}")
        sep = "-+-".join("-" * w for w in widths)
        print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
        print(sep)
        for line in lines:
            print(" | ".join(str(x).ljust(w) if i < 2 or i >= 4 else str(x).rjust(w)
                             for i, (x, w) in enumerate(zip(line, widths, strict=True))))
        notes = [f"  - {r['op']}: {r['note']}" for r in self.rows if r["note"]]
        if notes:
            print("notes:")
            print("\n".join(notes))
        sys.stdout.flush()


def check(result: LoadResult, what: str) -> LoadResult:
    if result.errors:
        FAILURES.append(f"{what}: {len(result.errors)} failed requests, first: {result.errors[0]}")
        log(f"  !! {what}: {len(result.errors)} errors; first: {result.errors[0]}")
    return result


def describe(result: LoadResult, unit: str) -> str:
    lat = result.latencies
    return (f"{result.units} {unit} in {result.seconds:.1f} s = {result.rate:.1f}/s; per {unit[:-1] or unit}: "
            f"p50 {percentile(lat, 50) * 1000:.0f} ms, p95 {percentile(lat, 95) * 1000:.0f} ms")


def warm(workers, times: int = 2) -> None:
    for w in workers:
        for _ in range(times):
            try:
                w()
            except Exhausted:
                break


def timed_load(make_worker, threads: int, duration: float) -> LoadResult:
    """Warm every worker up (not timed), then run them together."""
    made = [make_worker(i) for i in range(threads)]
    warm(made)
    return run_load(lambda i: made[i], threads=threads, duration=duration)


# --- Kefu over HTTP ------------------------------------------------------------------------------------


class KefuHttp:
    API = "/api/workorders"

    def __init__(self, port: int, cast):
        self.port = port
        self.cast = cast
        self.created: list[list[tuple[int, int]]] = [[] for _ in cast.agents]

    def conn(self, token: str) -> Conn:
        return Conn(self.port, {"Authorization": f"Bearer {token}"})

    def create(self, c: Conn, i: int, n: int) -> dict:
        customers = self.cast.customers
        return c.json("POST", f"{self.API}/orders", {
            "kind": "complaint", "title": "套餐外流量资费争议", "description": "客户来电反映本月套餐外流量资费过高，要求核实。",
            "fields": {"complainant_type": "ordinary", "category": "tariff", "level": "general",
                       "source": "customer"},
            "customer_id": customers[(i * 7919 + n) % len(customers)] if customers else None,
            "contact_number": "13700000000",
        }, expect=(201,), headers={"Idempotency-Key": uuid.uuid4().hex})

    def act(self, c: Conn, order: dict, action: str, **payload) -> dict:
        return c.json("POST", f"{self.API}/orders/{order['id']}/actions/{action}",
                      {"version": order["version"], **payload}, expect=(200,))

    def create_worker(self, i: int):
        c = self.conn(self.cast.agents[i]["token"])
        n = [0]

        def op():
            n[0] += 1
            o = self.create(c, i, n[0])
            self.created[i].append((o["id"], o["version"]))
            return 1

        return op

    def accept_worker(self, i: int):
        c = self.conn(self.cast.agents[i]["token"])

        def op():
            if not self.created[i]:
                raise Exhausted
            oid, version = self.created[i].pop()
            o = self.act(c, {"id": oid, "version": version}, "accept", text="受理，已联系客户核实")
            if o["station"] != "dispatch":
                raise RuntimeError(f"accept left the order at {o['station']}")
            return 1

        return op

    def lifecycle_worker(self, i: int):
        agent = self.conn(self.cast.agents[i]["token"])
        province = self.conn(self.cast.province["token"])
        city = self.conn(self.cast.city["token"])
        n = [0]

        def op():
            n[0] += 1
            o = self.create(agent, i, n[0])
            o = self.act(agent, o, "accept", text="受理")
            o = self.act(province, o, "dispatch", text="请核实处理并反馈", to_org="GZ")
            o = self.act(city, o, "process", text="已核实，退还多收流量费")
            o = self.act(province, o, "review", text="复核通过")
            o = self.act(agent, o, "reply", text="已向客户解释并处理完毕", satisfaction=5)
            o = self.act(agent, o, "close", text="结案")
            if o["state"] != "closed":
                raise RuntimeError(f"life cycle ended in state {o['state']} at {o['station']}")
            return 1

        return op

    def my_work(self, requests: int, expect: int) -> list[float]:
        conns = [self.conn(p["token"]) for p in self.cast.probes]
        for c in conns:  # warm-up and check what the holder sees
            page = c.json("GET", f"{self.API}/my-work")
            if page["count"] != expect or len(page["items"]) != min(50, expect):
                raise RuntimeError(f"my-work returned count={page['count']} items={len(page['items'])}, "
                                   f"expected {expect}")
        lat = []
        for k in range(requests):
            c = conns[k % len(conns)]
            t = time.perf_counter()
            status, _h, _body = c.request("GET", f"{self.API}/my-work")
            lat.append(time.perf_counter() - t)
            if status != 200:
                raise RuntimeError(f"my-work: HTTP {status}")
        return lat


# --- the peer over HTTP --------------------------------------------------------------------------------


class PeerHttp:
    def __init__(self, port: int, info: dict, threads: int, probes: int):
        from benchlib import helpdesk_peer as hp

        self.hp = hp
        self.port = port
        users = info["users"]
        self.password = info["password"]
        self.agents = users[:threads]
        self.probes = users[threads:threads + probes]
        self.city = users[threads + probes]
        self.pool = [u[0] for u in users[threads + probes + 1:]]
        self.queue = info["queues"][0]
        self.created: list[list[int]] = [[] for _ in range(threads)]
        self._sessions: dict[str, Conn] = {}

    def session(self, username: str, key: str) -> Conn:
        # One logged-in keep-alive connection per (user, thread).
        k = f"{username}/{key}"
        if k not in self._sessions:
            self._sessions[k] = self.hp.login(self.port, username, self.password)
        return self._sessions[k]

    def create_worker(self, i: int):
        c = self.session(self.agents[i][1], f"t{i}")

        def op():
            self.created[i].append(self.hp.create_ticket(c, self.queue, "套餐外流量资费争议"))
            return 1

        return op

    def close_worker(self, i: int):
        c = self.session(self.agents[i][1], f"t{i}")

        def op():
            if not self.created[i]:
                raise Exhausted
            tid = self.created[i].pop()
            self.hp.update_ticket(c, tid, queue=self.queue, title="套餐外流量资费争议", comment="已处理，关闭",
                                  new_status=4)
            return 1

        return op

    def lifecycle_worker(self, i: int):
        c = self.session(self.agents[i][1], f"t{i}")
        me, city = self.agents[i][0], self.city[0]
        title = "套餐外流量资费争议"

        def op():
            tid = self.hp.create_ticket(c, self.queue, title)
            up = self.hp.update_ticket
            up(c, tid, queue=self.queue, title=title, comment="受理", owner=me)
            up(c, tid, queue=self.queue, title=title, comment="请核实处理并反馈", owner=city)
            up(c, tid, queue=self.queue, title=title, comment="已核实，退还多收流量费")
            up(c, tid, queue=self.queue, title=title, comment="复核通过", new_status=3)
            up(c, tid, queue=self.queue, title=title, comment="已向客户解释并处理完毕", new_status=3)
            up(c, tid, queue=self.queue, title=title, comment="结案", new_status=4)
            return 1

        return op

    def my_work(self, requests: int, expect: int) -> list[float]:
        conns = [(self.session(name, "probe"), self.hp.my_tickets_path(uid)) for uid, name in self.probes]
        for c, path in conns:
            out = c.json("GET", path)
            if out["recordsFiltered"] != expect or len(out["data"]) != min(50, expect):
                raise RuntimeError(f"peer list returned {out['recordsFiltered']} / {len(out['data'])} rows, "
                                   f"expected {expect}")
        lat = []
        for k in range(requests):
            c, path = conns[k % len(conns)]
            t = time.perf_counter()
            status, _h, _b = c.request("GET", path)
            lat.append(time.perf_counter() - t)
            if status != 200:
                raise RuntimeError(f"peer list: HTTP {status}")
        return lat


# --- the run -------------------------------------------------------------------------------------------


def revision() -> str:
    """The commit measured (with ``-dirty`` when the work tree has changes): figures belong to a revision."""
    import subprocess

    r = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return r.stdout.strip() or "unknown revision"


def setup_kefu_env(args, workdir: Path) -> None:
    for k in ("DATABASE_URL", "KEFU_SQLITE_PATH"):
        os.environ.pop(k, None)
    os.environ.update(DJANGO_SETTINGS_MODULE="kefu.settings", KEFU_VAR_DIR=str(workdir), KEFU_EMBEDDED_WORKER="0",
                      KEFU_ALLOWED_HOSTS="127.0.0.1,localhost", KEFU_LOG_LEVEL="WARNING", KEFU_DEBUG="0")
    if args.db == "sqlite":
        os.environ["KEFU_SQLITE_PATH"] = str(workdir / "kefu.sqlite3")
    else:
        os.environ["DATABASE_URL"] = procs.pg_create(args.pg_url, f"kefu_bench_wo_{os.getpid()}")


def run(args) -> dict:
    workdir = procs.temp_dir(ROOT / "var" / "bench", f"wo-{args.db}-", keep=args.keep)
    log(f"Kefu {revision()}; run directory {workdir}; database engine: {args.db}; sizes {', '.join(f'{s:,}' for s in args.sizes)}; "
        f"{args.threads} client threads; {args.staff:,} staff")
    setup_kefu_env(args, workdir)
    import django

    django.setup()
    from benchlib import kefu_side

    log("Kefu: migrating and seeding structure, staff, customers, tokens …")
    kefu_side.migrate()
    cast = kefu_side.base_setup(staff=args.staff, customers=args.customers, agents=args.threads,
                                probes=args.probes)
    kefu_server = procs.Server(
        "kefu", [str(Path(sys.executable).with_name("uvicorn")), "kefu.asgi:application", "--lifespan", "off",
                 "--no-access-log", "--log-level", "warning"],
        dict(os.environ), workdir / "kefu-server.log", "/api/workorders/my-work", cwd=str(ROOT)).start()
    log(f"Kefu server (uvicorn, 1 process) on port {kefu_server.port}")
    kefu = KefuHttp(kefu_server.port, cast)

    peer = None
    if not args.no_peer:
        from benchlib import helpdesk_peer as hp

        py = hp.ensure_venv(Path(args.peer_venv), log)
        if args.db == "sqlite":
            db = hp.db_settings("sqlite", sqlite_path=workdir / "helpdesk.sqlite3")
        else:
            db = hp.db_settings("postgres", pg_url=procs.pg_create(args.pg_url, f"helpdesk_bench_wo_{os.getpid()}"))
        p = hp.Peer(py, workdir, db)
        log(f"peer: django-helpdesk {hp.HELPDESK_VERSION}: migrating, {args.staff:,} staff users …")
        info = p.side("setup", {"users": args.staff})
        peer_server = p.server().start()
        log(f"peer server (uvicorn, 1 process) on port {peer_server.port}")
        peer = PeerHttp(peer_server.port, info, args.threads, args.probes)

    res = Results()
    out: dict = {"db": args.db, "threads": args.threads, "duration": args.duration, "staff": args.staff,
                 "phases": {}}

    def both(name: str, kefu_make, peer_make, unit: str):
        """``--rounds`` alternating runs (Kefu, helpdesk, Kefu, …); the best round of each counts."""
        best_k = best_p = None
        for r in range(1, args.rounds + 1):
            log(f"{name}, round {r}/{args.rounds}: Kefu …")
            k = check(timed_load(kefu_make, args.threads, args.duration), f"Kefu {name}")
            log(f"  Kefu     {describe(k, unit)}")
            if best_k is None or k.rate > best_k.rate:
                best_k = k
            if peer is not None:
                log(f"{name}, round {r}/{args.rounds}: helpdesk …")
                pr = check(timed_load(peer_make, args.threads, args.duration), f"helpdesk {name}")
                log(f"  helpdesk {describe(pr, unit)}")
                if best_p is None or pr.rate > best_p.rate:
                    best_p = pr
        out["phases"][name] = {"kefu": best_k.rate, "peer": best_p.rate if best_p else None,
                               "kefu_p95_ms": percentile(best_k.latencies, 95) * 1000,
                               "peer_p95_ms": percentile(best_p.latencies, 95) * 1000 if best_p else None}
        return best_k, best_p

    goal3 = "≥ 3× helpdesk"
    if not args.no_throughput:
        # (a) create, then a status change on the orders it made
        k, pr = both("create", kefu.create_worker, peer.create_worker if peer else None, "orders")
        res.add(f"(a) create via API, {args.threads} threads", "orders/s", k.rate, pr.rate if pr else None, True, goal3,
                (k.rate >= 3 * pr.rate) if pr else None)
        k, pr = both("status change", kefu.accept_worker, peer.close_worker if peer else None, "changes")
        res.add("    status change (Kefu accept / helpdesk close)", "changes/s", k.rate, pr.rate if pr else None, True,
                goal3, (k.rate >= 3 * pr.rate) if pr else None)
        # (c) full life cycles
        k, pr = both("life cycle", kefu.lifecycle_worker, peer.lifecycle_worker if peer else None, "cycles")
        res.add("(c) life cycle, 7 requests each", "cycles/s", k.rate, pr.rate if pr else None, True, goal3,
                (k.rate >= 3 * pr.rate) if pr else None)

    loader = kefu_side.OrderLoader(cast, probe_open=args.probe_open)
    peer_loaded = 0
    for size in args.sizes:
        tag = f"{size // 1000:,}k" if size < 1_000_000 else f"{size / 1_000_000:g}M"
        log(f"bulk-loading Kefu to {size:,} orders …")
        stats = loader.load(size)
        c = kefu_side.counts()
        log(f"  {stats['orders']:,} orders, {stats['steps']:,} steps, {stats['timers']:,} timers in "
            f"{stats['seconds']:.0f} s; now {c['orders']:,} orders ({c['open']:,} open), {c['timers']:,} timers "
            f"({c['pending']:,} pending)")
        queues = kefu_side.probe_queue_sizes(cast)
        if set(queues) != {args.probe_open}:
            raise RuntimeError(f"probe holders' queues are {queues}, expected {args.probe_open} each")
        if peer is not None:
            log(f"bulk-loading helpdesk to {size:,} tickets …")
            pstats = p.side("load", {"to": size, "loaded": peer_loaded, "pool": peer.pool,
                                     "probes": [u[0] for u in peer.probes], "queues": info["queues"],
                                     "probe_open": args.probe_open})
            peer_loaded = size
            log(f"  {pstats['tickets']:,} tickets, {pstats['followups']:,} follow-ups ({pstats['seconds']:.0f} s)")
        if args.explain:
            print(kefu_side.explain(cast), flush=True)

        # (b) my work
        log(f"my work @ {tag}: {args.latency_requests} sequential requests each over {args.probes} holders, "
            f"in {args.rounds} alternating rounds …")
        kl, pl = [], [] if peer is not None else None
        per_round = max(1, args.latency_requests // args.rounds)
        for _r in range(args.rounds):
            kl += kefu.my_work(per_round, args.probe_open)
            if peer is not None:
                pl += peer.my_work(per_round, args.probe_open)
        k50, k95 = percentile(kl, 50) * 1000, percentile(kl, 95) * 1000
        p50 = percentile(pl, 50) * 1000 if pl else None
        p95 = percentile(pl, 95) * 1000 if pl else None
        log(f"  Kefu p50 {k50:.1f} ms p95 {k95:.1f} ms" + (f"; helpdesk p50 {p50:.1f} ms p95 {p95:.1f} ms"
                                                          if pl else ""))
        big_pg = size >= 1_000_000 and args.db == "postgres"
        res.add(f"(b) my work @ {tag}, p50", "ms", k50, p50, False)
        res.add(f"(b) my work @ {tag}, p95", "ms", k95, p95, False, "p95 < 100 ms @ 1M on PostgreSQL",
                (k95 < 100) if big_pg else None)

        # (d) the sweep
        drained = kefu_side.drain_due()
        if drained:
            log(f"  fired {drained} timers that had fallen due since the load (not timed)")
        log(f"timer sweep @ {tag}: {args.idle_passes} passes with nothing due …")
        idle = kefu_side.sweep_idle(args.idle_passes)
        made = kefu_side.make_due(args.due)
        log(f"timer sweep @ {tag}: firing {made:,} due timers …")
        fired, secs = kefu_side.sweep_fire(made)
        if fired != made:
            FAILURES.append(f"sweep @ {tag}: fired {fired} of {made}")
        la = os.getloadavg()[0]
        log(f"  idle pass p50 {percentile(idle, 50) * 1000:.1f} ms, max {max(idle) * 1000:.1f} ms; "
            f"fired {fired:,} in {secs:.2f} s = {fired / secs:,.0f} timers/s (load average {la:.2f})")
        res.add(f"(d) sweep @ {tag}, nothing due (p50; max {max(idle) * 1000:.1f})", "ms",
                percentile(idle, 50) * 1000, None, False, "< 1 s", max(idle) < 1.0)
        res.add(f"(d) sweep @ {tag}, fire {fired:,} due timers", "s", secs, None, False, "< 1 s", secs < 1.0,
                note=f"{fired / secs:,.0f} timers/s; load {la:.2f}")
        out["phases"][f"my work {tag}"] = {"kefu_p50": k50, "kefu_p95": k95, "peer_p50": p50, "peer_p95": p95}
        out["phases"][f"sweep {tag}"] = {"idle_p50_ms": percentile(idle, 50) * 1000, "idle_max_ms": max(idle) * 1000,
                                         "fired": fired, "seconds": secs}

    out["rows"] = res.rows
    load = os.getloadavg()
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"load average at end {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")
    res.print(f"Work orders, {args.db}: {args.threads} client threads, best of {args.rounds} rounds of "
              f"{args.duration:g} s per throughput figure; uvicorn 1 process each; {machine}")
    out["machine"] = machine
    return out


def main() -> int:
    args = parse_args()
    procs.install_signal_handlers()
    code = 0
    try:
        out = run(args)
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    except KeyboardInterrupt:
        log("interrupted")
        code = 130
    except Exception:
        traceback.print_exc()
        code = 1
    finally:
        log("cleaning up servers and databases …")
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not be set up yet
            pass
        procs.cleanup()
    if FAILURES:
        print("\nFAILED:\n  " + "\n  ".join(FAILURES), file=sys.stderr)
        code = code or 1
    return code


if __name__ == "__main__":
    sys.exit(main())
