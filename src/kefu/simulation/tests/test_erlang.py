"""Erlang B, C and A against published figures and against exact or limiting cases."""

import math
from fractions import Fraction

import pytest

from kefu.simulation.staffing.calculator import IntervalLoad, Target, agents_needed, day_plan
from kefu.simulation.staffing.erlang import (
    erlang_a_performance,
    erlang_b,
    erlang_c,
    erlang_c_performance,
)


def _erlang_b_exact(n: int, a: int) -> float:
    """The textbook formula with factorials, in exact fractions (small cases only)."""
    terms = [Fraction(a) ** k / math.factorial(k) for k in range(n + 1)]
    return float(terms[-1] / sum(terms))


@pytest.mark.parametrize(("n", "a", "published"), [(10, 10, 0.2146), (5, 2, 0.0367), (20, 15, 0.0456)])
def test_erlang_b_matches_the_published_tables(n, a, published):
    # Erlang B tables: V. B. Iversen, "Teletraffic Engineering and Network Planning" (DTU, 2015), table of E1,n(A).
    assert erlang_b(n, a) == pytest.approx(published, abs=5e-5)
    assert erlang_b(n, a) == pytest.approx(_erlang_b_exact(n, a), rel=1e-12)


def test_erlang_c_matches_the_published_worked_example():
    # Mitan Ltd, "Erlang-C calculations" worked example: 360 calls per half hour, 4 minutes each, 55 agents,
    # 15 s target: traffic 48 erlangs, occupancy 87.3 %, probability of waiting 0.2387, ASA 8.2 s, SL 84.6 %.
    perf = erlang_c_performance(agents=55, rate=360 / 1800, aht=240, target_seconds=15)
    assert perf.load == 48
    assert perf.occupancy == pytest.approx(0.873, abs=5e-4)
    assert perf.p_wait == pytest.approx(0.2387, abs=5e-4)
    assert perf.asa == pytest.approx(8.2, abs=0.05)
    assert perf.service_level == pytest.approx(0.846, abs=5e-4)


def test_thousands_of_agents_neither_overflow_nor_lose_precision():
    assert 0 < erlang_c(10_000, 9_900) < 1
    assert 0 < erlang_b(20_000, 19_000) < 1
    perf = erlang_a_performance(agents=8_000, rate=8_100 / 180, aht=180, patience=120, target_seconds=20)
    assert 0 < perf.service_level < 1 and 0 < perf.abandon < 1


def test_erlang_a_tends_to_erlang_c_as_callers_grow_patient():
    c = erlang_c_performance(agents=55, rate=0.2, aht=240, target_seconds=15)
    a = erlang_a_performance(agents=55, rate=0.2, aht=240, patience=1e9, target_seconds=15)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-4)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-4)
    assert a.asa == pytest.approx(c.asa, rel=1e-3)


def test_erlang_a_with_patience_equal_to_handle_time_is_the_infinite_server_queue():
    # With θ = μ every caller leaves at the same rate whether served or waiting: the number present is
    # Poisson(A) (M/M/∞), so P(wait) = P(N ≥ n) and abandonment = E[(N - n)+] / A.
    n, load = 10, 12.0
    perf = erlang_a_performance(agents=n, rate=load / 100, aht=100, patience=100, target_seconds=10)
    pk = [math.exp(-load + k * math.log(load) - math.lgamma(k + 1)) for k in range(200)]
    assert perf.p_wait == pytest.approx(sum(pk[n:]), rel=1e-9)
    assert perf.abandon == pytest.approx(sum((k - n) * p for k, p in enumerate(pk) if k > n) / load, rel=1e-9)


def test_erlang_a_balances_served_and_abandoned_work():
    perf = erlang_a_performance(agents=40, rate=0.25, aht=180, patience=90, target_seconds=20)
    # Agents are busy exactly with the calls that were not abandoned.
    assert perf.occupancy * 40 == pytest.approx(perf.load * (1 - perf.abandon), rel=1e-9)


def test_agents_needed_is_the_fewest_that_meet_the_target():
    need = agents_needed(rate=360 / 1800, aht=240, target=Target("sl", 15, 80))
    assert need.agents == 55  # the worked example's 55 agents give 84.6 %, 54 give 79.3 %
    assert need.perf.service_level >= 0.80
    lower = erlang_c_performance(agents=54, rate=0.2, aht=240, target_seconds=15)
    assert lower.service_level < 0.80
    assert agents_needed(rate=0.2, aht=240, target=Target("sl", 15, 80), shrinkage=0.3).rostered == math.ceil(
        55 / 0.7
    )


def test_asa_target_and_patience_need_fewer_agents():
    asa = agents_needed(rate=0.2, aht=240, target=Target("asa", 10))
    assert asa.perf.asa <= 10
    assert agents_needed(rate=0.2, aht=240, target=Target("sl", 15, 80), patience=60).agents <= 55


def test_a_day_plan_needs_nobody_when_nobody_calls():
    plan = day_plan(
        loads=[IntervalLoad(0, 0, 0), IntervalLoad(30, 360, 240)],
        interval_minutes=30,
        target=Target("sl", 15, 80),
    )
    assert [p.need.agents for p in plan] == [0, 55]
