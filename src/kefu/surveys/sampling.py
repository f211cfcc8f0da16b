"""Drawing a survey sample (抽样) as pure data: per group (queue) a share of the candidates, at random but
reproducible from a seed, after the customers asked recently are set aside. No ORM here."""

from __future__ import annotations

import random
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Candidate:
    number: str
    group: Hashable  # the queue, or one group for every candidate
    data: dict[str, Any]


def draw(candidates: list[Candidate], *, percent: Decimal, seed: str, recent: set[str]) -> list[Candidate]:
    """``percent`` of each group's candidates (one per number, none of ``recent``), chosen by ``seed``.

    A group of n candidates gives ⌊n·p⌋ surveys, plus one more with the probability of the fraction left, so
    small queues are sampled at the right rate over many days instead of never (or always).
    """
    rng = random.Random(seed)
    seen: set[str] = set(recent)
    groups: dict[Hashable, list[Candidate]] = {}
    for c in candidates:
        if not c.number or c.number in seen:
            continue
        seen.add(c.number)
        groups.setdefault(c.group, []).append(c)
    chosen: list[Candidate] = []
    for key in sorted(groups, key=str):
        group = groups[key]
        exact = Decimal(len(group)) * percent / 100
        n = int(exact) + (1 if rng.random() < float(exact - int(exact)) else 0)
        chosen += rng.sample(group, min(n, len(group)))
    return chosen
