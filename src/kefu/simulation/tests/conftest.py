import pytest

from kefu.simulation.engine.defaults import default_scenario

SMALL = {
    "interval_seconds": 1800,
    "arrivals": [60, 120],
    "agents": [{"count": 4}],
    "handle": {"kind": "exponential", "mean": 120},
    "patience": 90,
    "seed": 3,
}


@pytest.fixture
def small_scenario():
    return dict(SMALL)


@pytest.fixture
def day_scenario():
    return default_scenario()
