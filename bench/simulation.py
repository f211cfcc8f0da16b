"""Simulator benchmark: calls per second of Kefu's simulator on an M/M/c center, beside ciw and a bare loop.

The model: ``--agents`` (500) agents, exponential handle times of ``--aht`` (180 s), Poisson arrivals at
``--rho`` (0.97) of the agents' capacity, a 20 s service-level target, callers who wait for ever. Three
players, in interleaved rounds (``--rounds``), the load average beside each figure:

- Kefu's simulator (``kefu.simulation.engine``), ``--calls`` (1,000,000) calls, every match decided by the
  live routing engine on the router's board;
- ciw (the open-source discrete-event queueing library) on the same M/M/c model, ``--ciw-calls`` calls
  (ciw is much slower per call: it runs fewer calls and is compared in calls per second);
- a bare ``heapq`` event loop written here for M/M/c with a FIFO queue and any free agent: the floor.

Kefu's simulated service level and ASA are checked against Erlang C with their 95 % batch-means confidence
intervals. Goals: the 1,000,000 calls in < 60 s; ≥ 5× ciw's calls/s; within 3× of the bare loop.

    .venv/bin/python bench/simulation.py
    .venv/bin/python bench/simulation.py --calls 200000 --rounds 1     # quicker
    .venv/bin/python bench/simulation.py --profile                      # where Kefu's time goes
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import heapq
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from kefu.simulation.engine.des import simulate  # noqa: E402
from kefu.simulation.engine.model import mmc  # noqa: E402
from kefu.simulation.staffing.erlang import erlang_c_performance  # noqa: E402

TARGET = 20.0


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def bare(calls: int, agents: int, rate: float, aht: float, seed: int) -> tuple[float, float]:
    """M/M/c with heapq: completions in a heap, waiting calls in a deque; returns (SL, ASA)."""
    rng = random.Random(seed)
    expo = rng.expovariate
    mu = 1.0 / aht
    ends: list[float] = []
    waiting: collections.deque[float] = collections.deque()
    free = agents
    now = 0.0
    arrival = expo(rate)
    arrived = answered = in_sl = 0
    wait_sum = 0.0
    while arrived < calls or ends:
        if arrived < calls and (not ends or arrival <= ends[0]):
            now = arrival
            arrived += 1
            arrival = now + expo(rate)
            if free:
                free -= 1
                answered += 1
                in_sl += 1
                heapq.heappush(ends, now + expo(mu))
            else:
                waiting.append(now)
        else:
            now = heapq.heappop(ends)
            if waiting:
                w = now - waiting.popleft()
                answered += 1
                wait_sum += w
                in_sl += w <= TARGET
                heapq.heappush(ends, now + expo(mu))
            else:
                free += 1
    return in_sl / answered, wait_sum / answered


def ciw_run(calls: int, agents: int, rate: float, aht: float, seed: int) -> tuple[int, float, float]:
    """The same model in ciw, run until about ``calls`` arrivals; returns (calls done, SL, ASA)."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / aht)],
        number_of_servers=[agents],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(calls / rate)
    recs = sim.get_all_records()
    waits = [r.waiting_time for r in recs]
    return len(recs), sum(w <= TARGET for w in waits) / len(waits), sum(waits) / len(waits)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agents", type=int, default=500)
    ap.add_argument("--aht", type=float, default=180.0)
    ap.add_argument("--rho", type=float, default=0.97)
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--ciw-calls", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--profile", action="store_true", help="profile one Kefu run of --calls/10 calls")
    args = ap.parse_args()
    rate = args.rho * args.agents / args.aht
    exact = erlang_c_performance(agents=args.agents, rate=rate, aht=args.aht, target_seconds=TARGET)
    print(
        f"M/M/{args.agents}: {rate:.3f} calls/s, AHT {args.aht:.0f} s, load {rate * args.aht:.1f} erlangs; "
        f"Erlang C: SL {exact.service_level:.4f}, ASA {exact.asa:.3f} s"
    )
    if args.profile:
        sc = mmc(agents=args.agents, rate=rate, aht=args.aht, calls=args.calls // 10, seed=1)
        prof = cProfile.Profile()
        prof.enable()
        simulate(sc)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(12)
        print(out.getvalue())
        return
    kefu_rates, ciw_rates, bare_rates = [], [], []
    for rnd in range(1, args.rounds + 1):
        t = time.perf_counter()
        sl, asa = bare(args.calls, args.agents, rate, args.aht, seed=rnd)
        dt = time.perf_counter() - t
        bare_rates.append(args.calls / dt)
        print(
            f"round {rnd} bare heapq: {args.calls:,} calls in {dt:.2f} s = {args.calls / dt:,.0f} calls/s; "
            f"SL {sl:.4f}, ASA {asa:.3f} s  [{load()}]",
            flush=True,
        )

        sc = mmc(agents=args.agents, rate=rate, aht=args.aht, calls=args.calls, seed=rnd)
        t = time.perf_counter()
        result = simulate(sc, warmup_calls=args.calls // 50, batches=20)
        dt = time.perf_counter() - t
        kefu_rates.append(args.calls / dt)
        (sl, sl_hw), (asa, asa_hw) = result.ci("service_level"), result.ci("asa")
        ok_sl = abs(sl - exact.service_level) <= sl_hw
        ok_asa = abs(asa - exact.asa) <= asa_hw
        print(
            f"round {rnd} kefu:       {args.calls:,} calls in {dt:.2f} s = {args.calls / dt:,.0f} calls/s; "
            f"SL {sl:.4f} ± {sl_hw:.4f} ({'covers' if ok_sl else 'MISSES'} Erlang C), "
            f"ASA {asa:.3f} ± {asa_hw:.3f} s ({'covers' if ok_asa else 'MISSES'} Erlang C)  [{load()}]",
            flush=True,
        )

        t = time.perf_counter()
        done, sl, asa = ciw_run(args.ciw_calls, args.agents, rate, args.aht, seed=rnd)
        dt = time.perf_counter() - t
        ciw_rates.append(done / dt)
        print(
            f"round {rnd} ciw:        {done:,} calls in {dt:.2f} s = {done / dt:,.0f} calls/s; "
            f"SL {sl:.4f}, ASA {asa:.3f} s  [{load()}]",
            flush=True,
        )

    k, c, b = (statistics.median(r) for r in (kefu_rates, ciw_rates, bare_rates))
    print(f"\nmedian calls/s: kefu {k:,.0f}, ciw {c:,.0f}, bare heapq {b:,.0f}")
    print(
        f"kefu / ciw = {k / c:.1f}× (goal ≥ 5×); bare heapq / kefu = {b / k:.1f}× (goal ≤ 3×); "
        f"1,000,000 calls would take {1_000_000 / k:.0f} s (goal < 60 s)"
    )


if __name__ == "__main__":
    main()
