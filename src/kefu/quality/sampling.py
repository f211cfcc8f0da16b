"""Which contacts a random spot check (抽检) takes: plain Python, deterministic for a given seed.

Each agent's candidates are sorted by id and ``per_agent`` of them drawn with a generator seeded by the
seed and the agent, so the draw for one agent does not depend on who else had calls: the same seed over the
same contacts picks the same ones again (the seed is recorded so a draw can be shown to be fair).
"""

from __future__ import annotations

import random


def sample_pick(candidates: dict[int, list[int]], *, per_agent: int, seed: int) -> dict[int, list[int]]:
    """``{agent id: [contact ids]}`` → at most ``per_agent`` ids per agent, sorted."""
    picked: dict[int, list[int]] = {}
    for agent_id in sorted(candidates):
        ids = sorted(set(candidates[agent_id]))
        if not ids or per_agent <= 0:
            continue
        rng = random.Random(f"{seed}:{agent_id}")
        picked[agent_id] = sorted(ids if len(ids) <= per_agent else rng.sample(ids, per_agent))
    return picked
