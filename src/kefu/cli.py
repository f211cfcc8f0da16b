"""The ``kefu`` command.

    kefu demo      migrate the SQLite file under var/, seed the demo center if
                   empty, serve on http://127.0.0.1:8000 with a worker, print logins
    kefu serve     serve the ASGI app (production settings) with an embedded worker and a
                   router candidate; --workers N runs N server processes sharing the Redis
                   channel layer
    kefu router    run a router candidate on its own (one per site is active)
    kefu seed      seed the demo center (idempotent): --customers N --staff N
    kefu worker    run the background worker
    kefu simulate  play a scenario (JSON file) or an M/M/c center in virtual time through the routing
                   engine and print the indicators
    kefu manage …  any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys
import threading


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _start_embedded_worker() -> None:
    if os.environ.get("KEFU_EMBEDDED_WORKER", "1") in {"0", "false", "no"}:
        return
    from django.conf import settings

    from kefu.core.worker import Worker

    worker = Worker(name=f"embedded:{os.getpid()}", poll_seconds=settings.KEFU_WORKER_POLL_SECONDS)

    def loop():
        import time

        from django.db import close_old_connections

        while True:
            close_old_connections()
            worker.run_once()
            time.sleep(worker.poll_seconds)

    threading.Thread(target=loop, name="kefu-worker", daemon=True).start()


def _start_router_process() -> None:
    """With Redis, the router runs in a process of its own beside the server processes.

    A router thread inside a server process shares its interpreter lock with the requests: once the
    process is busy, each of an offer's queries waits behind them, and offers fall seconds behind (see
    docs/benchmarks.md). Changes and pushes cross processes through Redis, so the router can live apart;
    without Redis it must share the server's process (and its in-memory channel layer).
    """
    from django.conf import settings

    if not settings.REDIS_URL or settings.KEFU_ROUTER != "service" or \
            os.environ.get("KEFU_ROUTER_PROCESS", "1") in {"0", "false", "no"}:
        return
    import atexit
    import subprocess

    os.environ["KEFU_ROUTER_IN_PROCESS"] = "0"  # the server processes started next run no candidate
    router = subprocess.Popen([sys.executable, "-m", "kefu.cli", "router"])
    atexit.register(router.terminate)


def workers_check(workers: int) -> list[str]:
    """Why ``workers`` server processes cannot run here (raises SystemExit), or warnings worth printing.

    Pushes to a desktop go through the channel layer: the in-memory one lives
    in one process, so a push made by the process that served a request would
    never reach a socket held by another. More than one process needs Redis.
    """
    from django.conf import settings
    from django.db import connection

    if workers < 1:
        raise SystemExit("kefu serve: --workers must be at least 1.")
    if workers == 1:
        return []
    if not settings.REDIS_URL:
        raise SystemExit(
            f"kefu serve: --workers {workers} needs REDIS_URL. The in-memory channel layer cannot span "
            "processes: an offer pushed by one process would never reach a desktop connected to another. "
            "Set REDIS_URL=redis://host:6379/0, or serve with one worker."
        )
    if connection.vendor == "sqlite":
        return [
            f"kefu serve: {workers} processes share one SQLite file and queue for its write lock; "
            "use PostgreSQL (DATABASE_URL) to gain from more than one worker."
        ]
    return []


def _serve(host: str, port: int, *, collect_static: bool, workers: int = 1) -> None:
    import uvicorn

    for warning in workers_check(workers):
        print(warning, file=sys.stderr, flush=True)
    if collect_static:
        _manage("collectstatic", "--noinput", "--verbosity", "0")
    # With several workers this process only supervises them (uvicorn spawns fresh interpreters that
    # import kefu.asgi and start no worker), so the background worker runs here, once for the server.
    _start_embedded_worker()
    _start_router_process()
    uvicorn.run("kefu.asgi:application", host=host, port=port, log_level="info", lifespan="off",
                workers=workers if workers > 1 else None)


def cmd_demo(args) -> None:
    os.environ.setdefault("KEFU_DEBUG", "0")
    os.environ.setdefault("KEFU_ROUTER", "service")
    _setup()
    from kefu.demo.services import demo_logins, demo_seed

    _manage("migrate", "--noinput", "--verbosity", "1")
    demo_seed(customers=args.customers, staff=args.staff, progress=True)
    print("\n" + "=" * 64)
    print(f" Kefu demo center: http://{args.host}:{args.port}/   (API: /api/docs)")
    print(" Demo logins (employee number / password):")
    for login in demo_logins():
        print(f"   {login['employee_no']:<10} {login['password']:<14} {login['description']}")
    print("=" * 64 + "\n", flush=True)
    if not args.quiet:
        _start_demo_traffic(args)
    _serve(args.host, args.port, collect_static=False)


def _start_demo_traffic(args) -> None:
    """Calls from the simulated switch, answered by simulated colleagues, so the center lives."""
    from kefu.contactcenter.simagents import start_background as start_agents
    from kefu.contactcenter.simswitch import start_background as start_switch
    from kefu.iam.selectors import staff_active_agents

    bots = staff_active_agents(exclude_employee_no="agent001", limit=args.bots)
    start_agents(bots)
    start_switch(rate=args.call_rate, url=f"http://127.0.0.1:{args.port}")
    print(f" Simulated traffic: {args.call_rate} calls/s, {len(bots)} simulated agents "
          f"(agent001 is yours: open /contactcenter/desk/).", flush=True)


def cmd_serve(args) -> None:
    os.environ.setdefault("KEFU_ROUTER", "service")
    _setup()
    _serve(args.host, args.port, collect_static=True, workers=args.workers)


def cmd_seed(args) -> None:
    _setup()
    from kefu.demo.services import demo_seed

    _manage("migrate", "--noinput", "--verbosity", "0")
    demo_seed(customers=args.customers, staff=args.staff, progress=True)


def cmd_worker(args) -> None:
    _setup()
    from django.conf import settings

    from kefu.core.worker import Worker

    Worker(name=args.name, poll_seconds=args.poll or settings.KEFU_WORKER_POLL_SECONDS).run_forever()


def cmd_router(args) -> None:
    """A router candidate on its own: active when it wins the election, standby otherwise."""
    os.environ["KEFU_ROUTER"] = "service"
    _setup()
    import logging
    import signal

    from django.conf import settings

    from kefu.contactcenter.services import realtime, router_inbox
    from kefu.contactcenter.services.router_service import RouterService

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not settings.REDIS_URL:
        print("kefu router: without REDIS_URL this router hears of changes only on its periodic reading "
              "(KEFU_ROUTER_RESYNC_SECONDS); set REDIS_URL so servers can tell it at once.", file=sys.stderr)
    realtime.start_push_loop()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    service = RouterService(inbox=router_inbox.current() or router_inbox.open_local())
    print(f"kefu router: pid {os.getpid()} running as a candidate ({service.leadership.name})", file=sys.stderr,
          flush=True)
    service.run(stop)


def cmd_simulate(args) -> None:
    import json
    import time

    from kefu.simulation.engine.des import simulate
    from kefu.simulation.engine.model import Scenario, mmc

    if args.scenario:
        with open(args.scenario, encoding="utf-8") as fh:
            data = json.load(fh)
        if args.seed is not None:
            data["seed"] = args.seed
        try:
            scenario = Scenario.from_dict(data)
        except ValueError as exc:
            sys.exit(f"kefu simulate: {exc}")
    else:
        scenario = mmc(agents=args.agents, rate=args.calls_per_hour / 3600, aht=args.aht, calls=args.calls,
                       seed=args.seed or 1, patience=args.patience)

    def progress(fraction: float) -> None:
        if not args.json:
            print(f"\r{fraction:6.1%}", end="", file=sys.stderr, flush=True)

    started = time.perf_counter()
    result = simulate(scenario, progress=progress, warmup_calls=args.warmup)
    elapsed = time.perf_counter() - started
    summary = {**result.summary(), "seconds": round(elapsed, 3),
               "ci": {name: result.ci(name) for name in ("service_level", "asa")}}
    if args.json:
        print(json.dumps(summary, default=str))
        return
    print(file=sys.stderr)
    for key, value in summary.items():
        print(f"{key:>14}  {value}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["kefu manage", *argv[1:]])
        return
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu customer service center")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="migrate, seed and serve the demo center")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--customers", type=int, default=10_000)
    p.add_argument("--staff", type=int, default=50)
    p.add_argument("--call-rate", type=float, default=0.1, help="simulated calls per second")
    p.add_argument("--bots", type=int, default=12, help="simulated agents answering calls")
    p.add_argument("--quiet", action="store_true", help="no simulated calls or agents")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("serve", help="serve the ASGI app")
    p.add_argument("--host", default=os.environ.get("KEFU_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("KEFU_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("KEFU_WORKERS", "1")),
                   help="server processes (more than one needs REDIS_URL)")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("seed", help="seed the demo center (idempotent)")
    p.add_argument("--customers", type=int, default=10_000)
    p.add_argument("--staff", type=int, default=50)
    p.set_defaults(func=cmd_seed)
    p = sub.add_parser("worker", help="run the background worker")
    p.add_argument("--name", default=None)
    p.add_argument("--poll", type=float, default=None)
    p.set_defaults(func=cmd_worker)
    p = sub.add_parser("router", help="run a router candidate on its own (several may run; one is active)")
    p.set_defaults(func=cmd_router)
    p = sub.add_parser("simulate", help="play a scenario in virtual time and print the indicators")
    p.add_argument("--scenario", help="scenario JSON file (docs/decisions/0035-staffing-and-simulation.md); without it an M/M/c center")
    p.add_argument("--agents", type=int, default=50)
    p.add_argument("--calls-per-hour", type=float, default=900.0)
    p.add_argument("--aht", type=float, default=180.0, help="mean handle time, seconds (exponential)")
    p.add_argument("--patience", type=float, default=None, help="callers' mean patience, seconds")
    p.add_argument("--calls", type=int, default=100_000)
    p.add_argument("--warmup", type=int, default=0, help="calls left out of the confidence intervals")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_simulate)
    sub.add_parser("manage", help="Django management commands")
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
