"""The pure core: forms as data, the score, and the seeded spot-check draw."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.quality.sampling import sample_pick
from kefu.quality.scoring import ScoringError, items_parse, score_compute

from .factories import ITEMS


def test_the_score_is_the_weighted_share_of_points_out_of_100():
    items = items_parse(ITEMS)
    assert score_compute(items, {"greeting": 10, "solution": 20}, []).total == 100.0
    # greeting 5/10 weighs 1, solution 10/20 weighs 3: half of everything
    assert score_compute(items, {"greeting": 5, "solution": 10}, []).total == 50.0
    assert score_compute(items, {"greeting": 0, "solution": 20}, []).total == 75.0


def test_a_ticked_fatal_item_zeroes_the_score():
    s = score_compute(items_parse(ITEMS), {"greeting": 10, "solution": 20}, ["rude"])
    assert (s.total, s.fatal, s.fatal_hits) == (0.0, True, ("rude",))


@pytest.mark.parametrize(
    "points, hits, field",
    [
        ({"greeting": 10}, [], "points.solution"),
        ({"greeting": 11, "solution": 1}, [], "points.greeting"),
        ({"greeting": 1, "solution": 1, "other": 1}, [], "points.other"),
        ({"greeting": 1, "solution": 1}, ["greeting"], "fatal"),
        ({"greeting": True, "solution": 1}, [], "points.greeting"),
    ],
)
def test_points_off_the_form_are_refused_with_the_field(points, hits, field):
    with pytest.raises(ScoringError) as exc:
        score_compute(items_parse(ITEMS), points, hits)
    assert exc.value.field == field


@pytest.mark.parametrize(
    "items, field",
    [
        ([], "items"),
        ([{"key": "a", "label": "A", "fatal": True}], "items"),
        ([{"key": "A b", "label": "A", "max_points": 5}], "items.0.key"),
        (
            [{"key": "a", "label": "A", "max_points": 5}, {"key": "a", "label": "B", "max_points": 5}],
            "items.1.key",
        ),
        ([{"key": "a", "label": "", "max_points": 5}], "items.0.label"),
        ([{"key": "a", "label": "A", "max_points": 0}], "items.0.max_points"),
        ([{"key": "a", "label": "A", "max_points": 5, "weight": 101}], "items.0.weight"),
    ],
)
def test_a_bad_form_is_refused_with_the_field(items, field):
    with pytest.raises(ScoringError) as exc:
        items_parse(items)
    assert exc.value.field == field


item = st.fixed_dictionaries({"max_points": st.integers(1, 100), "weight": st.integers(1, 100)})


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # a loaded machine is no failure
@given(st.lists(item, min_size=1, max_size=8), st.data())
def test_any_score_lies_between_0_and_100_and_full_points_make_100(rows, data):
    items = items_parse([{"key": f"k{i}", "label": f"L{i}", **r} for i, r in enumerate(rows)])
    points = {f"k{i}": data.draw(st.integers(0, r["max_points"])) for i, r in enumerate(rows)}
    assert 0 <= score_compute(items, points, []).total <= 100
    full = {f"k{i}": r["max_points"] for i, r in enumerate(rows)}
    assert score_compute(items, full, []).total == 100


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # a loaded machine is no failure
@given(
    st.dictionaries(st.integers(1, 50), st.lists(st.integers(1, 10_000), max_size=30), max_size=6),
    st.integers(1, 5),
    st.integers(0, 2**31),
)
def test_the_draw_is_deterministic_bounded_and_per_agent_independent(candidates, per_agent, seed):
    picked = sample_pick(candidates, per_agent=per_agent, seed=seed)
    assert picked == sample_pick(candidates, per_agent=per_agent, seed=seed)
    for agent, ids in picked.items():
        assert len(ids) == min(per_agent, len(set(candidates[agent])))
        assert set(ids) <= set(candidates[agent])
    if candidates:
        one = min(candidates)
        alone = sample_pick({one: candidates[one]}, per_agent=per_agent, seed=seed)
        assert alone.get(one) == picked.get(one)
