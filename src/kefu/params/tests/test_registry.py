"""Parsing and showing typed values."""

import pytest

from kefu.core.errors import ValidationFailed
from kefu.params.registry import (
    BOOLEAN,
    CHOICE,
    DURATION,
    INTEGER,
    TEXT,
    Param,
    format_duration,
    parse_duration,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("8h", 28800), ("30m", 1800), ("1h30m", 5400), ("2d", 172800), ("90s", 90), ("45", 45), (" 6H ", 21600),
    ("1d 2h", 93600),
])
def test_durations_are_typed_like_8h(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "", "8x", "h", "-5m", "1.5h"])
def test_bad_durations_are_refused_with_an_example(text):
    with pytest.raises(ValidationFailed) as exc:
        parse_duration(text)
    assert "8h" in str(exc.value.message)


def test_durations_show_like_they_are_typed():
    assert [format_duration(s) for s in (28800, 5400, 0, 93600, 61)] == ["8h", "1h30m", "0s", "1d2h", "1m1s"]


def test_bounds_are_checked_and_shown_in_the_unit_of_the_type():
    p = Param("t.d", DURATION, 3600, "d", min_value=60, max_value=86400)
    with pytest.raises(ValidationFailed) as exc:
        p.parse("2d")
    assert "1d" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        p.parse(30)
    assert p.parse(120) == 120


def test_each_type_parses_its_own_way():
    assert Param("i", INTEGER, 1, "i", min_value=0).parse(" 7 ") == 7
    with pytest.raises(ValidationFailed):
        Param("i", INTEGER, 1, "i").parse(True)
    with pytest.raises(ValidationFailed):
        Param("i", INTEGER, 1, "i").parse("7.5")
    b = Param("b", BOOLEAN, False, "b")
    assert b.parse("1") is True and b.parse("") is False and b.parse(True) is True
    with pytest.raises(ValidationFailed):
        b.parse("maybe")
    c = Param("c", CHOICE, "a", "c", choices=(("a", "A"), ("b", "B")))
    assert c.parse("b") == "b"
    with pytest.raises(ValidationFailed):
        c.parse("z")
    t = Param("t", TEXT, "", "t", max_length=3)
    with pytest.raises(ValidationFailed):
        t.parse("abcd")


def test_edit_boxes_show_friendly_text():
    assert Param("d", DURATION, 0, "d").as_input(28800) == "8h"
    assert Param("b", BOOLEAN, False, "b").as_input(True) == "1"
    assert Param("b", BOOLEAN, False, "b").as_input(False) == ""
    assert Param("i", INTEGER, 0, "i").as_input(5) == "5"


def test_the_deadline_defaults_of_the_specification_are_declared():
    from kefu.params.selectors import param_definition

    assert param_definition("sla.reply.vip").default == 8 * 3600
    assert param_definition("sla.reply.gotone").default == 24 * 3600
    assert param_definition("sla.reply.other").default == 48 * 3600
    assert param_definition("sla.station.vip").default == 3 * 3600
    assert param_definition("sla.station.other").default == 6 * 3600
    assert param_definition("iam.login.max_failures").default == 5


def test_groups_have_headings_and_unknown_groups_show_their_key(monkeypatch):
    from kefu.params import registry

    monkeypatch.setattr(registry, "_groups", dict(registry._groups))
    assert registry.group_label("sla") in ("Deadlines and warnings", "时限与预警")
    assert registry.group_label("mystery") == "mystery"
    registry.register_group("mystery", "Mystery")
    assert registry.group_label("mystery") == "Mystery"
