"""Erlang B, C and A as plain Python: stable for thousands of agents, no factorials.

Erlang B comes from its recursion ``B(n) = A·B(n-1) / (n + A·B(n-1))``, which
only ever multiplies numbers below one. Erlang C follows from B. Erlang A
(M/M/n+M: callers who abandon after an exponential patience) is computed from
the birth-death chain's stationary distribution in logarithms, summed in
probability space from its peak, so neither the terms nor their sum overflow.
Its service level uses the identity that the wait of a caller who finds ``j``
ahead, ``Σ_{i=0..j} Exp(nμ+iθ)``, is ``-ln(B)/θ`` for ``B ~ Beta(nμ/θ, j+1)``;
the incomplete beta of integer second parameter is a finite sum of positive
terms, grown with ``j``. Times are in seconds, rates per second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of ``agents`` servers offered ``load`` erlangs (no queue)."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    b = 1.0
    for n in range(1, agents + 1):
        b = load * b / (n + load * b)
    return b


def erlang_c(agents: int, load: float) -> float:
    """Probability that a caller waits (M/M/n with an infinite queue); 1 when the load is not below ``agents``."""
    if agents <= load:
        return 1.0
    b = erlang_b(agents, load)
    return agents * b / (agents - load * (1.0 - b))


@dataclass(frozen=True)
class Performance:
    """What a number of agents gives: probabilities are fractions of the offered calls."""

    agents: int
    load: float
    occupancy: float
    p_wait: float
    service_level: float  # answered within the target time, of all offered calls
    asa: float  # average wait of the answered calls, seconds
    abandon: float  # fraction of offered calls that abandon
    stable: bool = True


def erlang_c_performance(*, agents: int, rate: float, aht: float, target_seconds: float) -> Performance:
    """M/M/n: the service level is ``1 - C·e^{-(n-A)t/AHT}``, the ASA ``C·AHT/(n-A)``."""
    load = rate * aht
    if agents <= load:
        return Performance(agents, load, 1.0 if agents else 0.0, 1.0, 0.0, math.inf, 0.0, stable=False)
    c = erlang_c(agents, load)
    sl = 1.0 - c * math.exp(-(agents - load) * target_seconds / aht)
    return Performance(agents, load, load / agents, c, sl, c * aht / (agents - load), 0.0)


def _log_weights(agents: int, rate: float, mu: float, theta: float) -> tuple[list[float], float]:
    """Log of the unnormalised stationary weights of M/M/n+M, states 0..K, and log of their sum."""
    log_lam = math.log(rate)
    logs = [0.0]
    for k in range(1, agents + 1):
        logs.append(logs[-1] + log_lam - math.log(k * mu))
    top = max(logs)
    k = agents
    while True:
        k += 1
        logs.append(logs[-1] + log_lam - math.log(agents * mu + (k - agents) * theta))
        top = max(top, logs[-1])
        # Past the peak the terms only fall (faster and faster); stop when they no longer count.
        if agents * mu + (k - agents) * theta > rate and logs[-1] < top - 40:
            break
    peak = max(logs)
    total = peak + math.log(sum(math.exp(x - peak) for x in logs))
    return logs, total


def erlang_a_performance(
    *, agents: int, rate: float, aht: float, patience: float, target_seconds: float
) -> Performance:
    """M/M/n+M (Erlang A): ``patience`` is the callers' mean patience in seconds."""
    if patience <= 0 or not math.isfinite(patience):
        raise ValueError("patience must be a positive number of seconds")
    load = rate * aht
    if rate <= 0:
        return Performance(agents, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    if agents <= 0:
        return Performance(0, load, 0.0, 1.0, 0.0, math.inf, 1.0, stable=False)
    mu, theta = 1.0 / aht, 1.0 / patience
    logs, log_total = _log_weights(agents, rate, mu, theta)
    p = [math.exp(x - log_total) for x in logs]
    p_wait = sum(p[agents:])
    a = agents * mu / theta
    x = math.exp(-theta * target_seconds)
    log_x, log_1x = math.log(x), math.log1p(-x) if x < 1 else -math.inf
    # Incomplete beta I_x(a+1, j+1) as a growing sum of negative-binomial terms (logs: x^(a+1) may underflow).
    log_term = (a + 1.0) * log_x
    cdf = 0.0
    answered = answered_late = wait_answered = harmonic = 0.0
    busy = sum(k * pk for k, pk in enumerate(p[:agents])) + agents * p_wait
    for j, pk in enumerate(p[agents:]):
        if j:
            log_term += math.log((a + j) / j) + log_1x
        cdf += math.exp(log_term)
        served = a / (a + j + 1.0)
        harmonic += 1.0 / (a + 1.0 + j)
        answered += pk * served
        answered_late += pk * served * min(1.0, cdf)
        wait_answered += pk * served * harmonic / theta
    answered_total = (1.0 - p_wait) + answered
    sl = (1.0 - p_wait) + answered - answered_late
    asa = wait_answered / answered_total if answered_total else math.inf
    return Performance(agents, load, busy / agents, p_wait, sl, asa, 1.0 - answered_total)


def performance(
    *, agents: int, rate: float, aht: float, target_seconds: float, patience: float | None = None
) -> Performance:
    """Erlang A when a patience is given, Erlang C otherwise."""
    if patience:
        return erlang_a_performance(
            agents=agents, rate=rate, aht=aht, patience=patience, target_seconds=target_seconds
        )
    return erlang_c_performance(agents=agents, rate=rate, aht=aht, target_seconds=target_seconds)
