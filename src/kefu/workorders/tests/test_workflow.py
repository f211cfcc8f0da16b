"""The pure template engine: validation and transitions (no database)."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.workorders.default_templates import DEFAULTS
from kefu.workorders.workflow import STAY, IllegalAction, TemplateError, parse


@pytest.mark.parametrize("kind", sorted(DEFAULTS))
def test_every_default_template_is_valid(kind):
    tpl = parse(DEFAULTS[kind])
    assert tpl.is_final("closed")


def test_unreachable_station_is_reported():
    d = copy.deepcopy(DEFAULTS["inquiry"])
    d["stations"].append({"code": "island", "actions": {"close": "closed"}})
    with pytest.raises(TemplateError) as e:
        parse(d)
    assert any("island" in p and "reached" in p for p in e.value.problems)


def test_station_without_a_closing_path_is_reported():
    d = {"start": "a", "stations": [
        {"code": "a", "actions": {"accept": "b", "close": "z"}},
        {"code": "b", "actions": {"return": "c"}},
        {"code": "c", "actions": {"return": "b"}},
        {"code": "z", "final": True},
    ]}
    with pytest.raises(TemplateError) as e:
        parse(d)
    assert any("'b'" in p and "closing" in p for p in e.value.problems)


def test_dead_end_unknown_target_unknown_action_and_no_final_are_all_listed():
    d = {"start": "a", "stations": [
        {"code": "a", "actions": {"fly": "nowhere"}},
        {"code": "b"},
    ]}
    with pytest.raises(TemplateError) as e:
        parse(d)
    text = " | ".join(e.value.problems)
    assert "unknown action 'fly'" in text and "unknown station 'nowhere'" in text
    assert "dead end" in text and "no final" in text


def test_illegal_action_names_the_allowed_ones():
    tpl = parse(DEFAULTS["complaint"])
    with pytest.raises(IllegalAction) as e:
        tpl.next_station("accept", "reply")
    assert "accept" in e.value.allowed


def test_stay_and_outcomes():
    tpl = parse(DEFAULTS["suggestion"])
    assert tpl.next_station("review", "review", "invalid") == "closed"
    assert tpl.next_station("review", "review", "valid") == "dispatch"
    with pytest.raises(IllegalAction):
        tpl.next_station("review", "review", None)
    assert tpl.next_station("dispatch", "urge") == "dispatch"
    assert STAY not in tpl.stations


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.lists(st.sampled_from(["accept", "dispatch", "process", "return", "review", "reply", "urge",
                                 "withdraw", "escalate", "forward"]), max_size=30))
def test_any_action_sequence_keeps_the_order_on_a_defined_station(actions):
    """Whatever handlers try, an order is always at a station of its template."""
    tpl = parse(DEFAULTS["complaint"])
    station = tpl.start
    for action in actions:
        try:
            station = tpl.next_station(station, action)
        except IllegalAction:
            continue
        assert station in tpl.stations
