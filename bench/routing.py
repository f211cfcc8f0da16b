"""Routing benchmark.

Part 1 (in-process): decisions per second of the pure engine with 1,000 agents and 10,000 waiting
contacts of mixed skills and tiers, for each agent-selection policy.
Part 2 (end to end, ``--e2e``): a server started with 1, 2 or 4 processes, a load generator in a process of
its own holding 1,000 agents' WebSockets, calls arriving at 10, 30, 100 and 300/s; offer latency p50/p90/p99/
max, calls lost, pushes dropped, the load average beside each figure. Every option after ``--e2e`` is
bench/routing_e2e.py's (see its docstring, ``--e2e --help``).

    .venv/bin/python bench/routing.py                 # part 1
    .venv/bin/python bench/routing.py --e2e --db postgres                       # 1, 2, 4 processes
    .venv/bin/python bench/routing.py --e2e --db sqlite                         # 1 process
    .venv/bin/python bench/routing.py --e2e --db postgres --workers 4 --soak    # 100/s for 10 minutes

Goals: ≥ 20,000 decisions/s; on PostgreSQL, 100 calls/s for 10 minutes with offer p99 < 50 ms, nothing lost.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from kefu.contactcenter.routing import Agent, Contact, OverflowStep, Policy, decide  # noqa: E402

SKILLS = ["general", "vip", "billing", "complaint", "data", "cantonese", "english", "terminal"]


def population(seed: int, n_agents: int, n_contacts: int):
    rng = random.Random(seed)
    agents = [Agent(id=i, skills={s: rng.randint(1, 10) for s in rng.sample(SKILLS, 3)},
                    capacity={"voice": 1, "chat": 3}, idle_since=rng.random() * 1000, occupancy=rng.random(),
                    last_assigned=rng.random() * 1000)
              for i in range(n_agents)]
    contacts = []
    for i in range(n_contacts):
        skill = rng.choice(SKILLS)
        overflow = (OverflowStep(after=60, skills=(("general", 1),)),) if rng.random() < 0.3 else ()
        contacts.append(Contact(id=i, channel="chat" if rng.random() < 0.25 else "voice",
                                skills=((skill, rng.randint(1, 6)),), priority=rng.choice([0, 1, 2, 2, 2]),
                                enqueued_at=rng.random() * 300, overflow=overflow))
    return agents, contacts


def in_process(agents_n: int, contacts_n: int, rounds: int) -> None:
    print(f"In-process routing: {agents_n} agents, {contacts_n} waiting contacts, {rounds} rounds per policy")
    print(f"{'policy':<16}{'decisions/s':>14}{'assignments':>14}{'ms/round':>10}   goal ≥ 20,000/s")
    for policy in Policy:
        times, assigned = [], 0
        for r in range(rounds):
            agents, contacts = population(r, agents_n, contacts_n)
            t = time.perf_counter()
            result = decide(contacts, agents, now=400.0, policy=policy)
            times.append(time.perf_counter() - t)
            assigned = len(result)
        best = min(times)
        rate = contacts_n / best
        print(f"{policy.value:<16}{rate:>14,.0f}{assigned:>14,}{best * 1000:>10.1f}   "
              f"{'OK' if rate >= 20_000 else 'below goal'}")


def main() -> None:
    if "--e2e" in sys.argv[1:]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from routing_e2e import main as e2e_main

        sys.exit(e2e_main([a for a in sys.argv[1:] if a != "--e2e"]))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agents", type=int, default=1000)
    p.add_argument("--contacts", type=int, default=10_000)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--e2e", action="store_true", help="end to end over HTTP and WebSockets instead "
                                                     "(options: --e2e --help)")
    args = p.parse_args()
    in_process(args.agents, args.contacts, args.rounds)


if __name__ == "__main__":
    main()
