"""The simulator against Erlang C on M/M/c: the real routing engine, fixed seeds, 95 % confidence intervals.

Each case checks that Erlang C's service level and ASA fall within the batch-means confidence interval of the
simulated ones (widened by a small margin for the warm-up bias), so a wrong queue discipline, a wrong
arrival or handle-time draw or a routing stall shows, while the seeds keep the test deterministic.
"""

import pytest

from kefu.simulation.engine.des import simulate
from kefu.simulation.engine.model import Distribution, mmc
from kefu.simulation.staffing.erlang import erlang_a_performance, erlang_c_performance

CASES = [  # agents, AHT, load per agent, calls, seed
    (1, 60, 0.7, 20_000, 11),
    (10, 180, 0.8, 30_000, 3),
    (20, 120, 0.85, 30_000, 4),
]


@pytest.mark.parametrize(("agents", "aht", "rho", "calls", "seed"), CASES)
def test_service_level_and_asa_agree_with_erlang_c(agents, aht, rho, calls, seed):
    rate = rho * agents / aht
    result = simulate(
        mmc(agents=agents, rate=rate, aht=aht, calls=calls, seed=seed), warmup_calls=calls // 20
    )
    exact = erlang_c_performance(agents=agents, rate=rate, aht=aht, target_seconds=20)
    sl, sl_hw = result.ci("service_level")
    asa, asa_hw = result.ci("asa")
    assert abs(sl - exact.service_level) <= sl_hw + 0.005, (sl, sl_hw, exact.service_level)
    assert abs(asa - exact.asa) <= asa_hw + 0.5, (asa, asa_hw, exact.asa)
    assert result.total.indicators()["occupancy"] == pytest.approx(rho, abs=0.03)
    assert result.total.indicators()["aht"] == pytest.approx(aht, rel=0.03)


def test_abandonment_agrees_with_erlang_a():
    agents, aht, patience, rate = 10, 180, 120, 11 / 180
    result = simulate(
        mmc(agents=agents, rate=rate, aht=aht, calls=30_000, seed=7, patience=patience), warmup_calls=1500
    )
    exact = erlang_a_performance(agents=agents, rate=rate, aht=aht, patience=patience, target_seconds=20)
    ab, ab_hw = result.ci("abandon_rate")
    assert abs(ab - exact.abandon) <= ab_hw + 0.005, (ab, ab_hw, exact.abandon)


def test_the_same_seed_plays_the_same_day():
    sc = mmc(agents=5, rate=4 / 180, aht=180, calls=2000, seed=5)
    assert simulate(sc).summary() == simulate(sc).summary()


def test_lognormal_handle_times_keep_their_mean():
    d = Distribution(kind="lognormal", mean=200, sd=150)
    import random

    draw = d.sampler(random.Random(1))
    values = [draw() for _ in range(20_000)]
    assert sum(values) / len(values) == pytest.approx(200, rel=0.03)
