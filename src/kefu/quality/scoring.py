"""Scoring forms as plain data, and the score of one inspection (no Django: property-tested on its own).

A form is a list of items. An ordinary item has ``max_points`` and a ``weight``: the inspector gives it
0..max points, and the score is the weighted share of points reached, out of 100. A fatal item (致命错误)
has neither: it is ticked or not, and one ticked fatal item makes the whole score 0, whatever the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kefu.core.lazytext import gettext as _

MAX_ITEMS = 50
MAX_POINTS = 100
MAX_WEIGHT = 100
KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class ScoringError(ValueError):
    """A form or a set of points that cannot be used; ``field`` names where (``items.2.max_points``)."""

    def __init__(self, message: str, *, field: str = "items"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    max_points: int = 0
    weight: int = 0
    fatal: bool = False

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "max_points": self.max_points,
            "weight": self.weight,
            "fatal": self.fatal,
        }


def _int(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScoringError(
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}, field=field
        )
    return value


def items_parse(raw) -> list[Item]:
    """The items of a form from data (API body, form field, stored JSON), checked; raises ``ScoringError``."""
    if not isinstance(raw, list) or not raw:
        raise ScoringError(_("A form needs at least one item."))
    if len(raw) > MAX_ITEMS:
        raise ScoringError(_("A form holds at most %(n)s items.") % {"n": MAX_ITEMS})
    items: list[Item] = []
    seen: set[str] = set()
    for i, row in enumerate(raw):
        where = f"items.{i}"
        if not isinstance(row, dict):
            raise ScoringError(_("Each item is an object."), field=where)
        key = row.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            raise ScoringError(
                _("A key is a lower-case letter, then letters, digits or _ (at most 32)."),
                field=f"{where}.key",
            )
        if key in seen:
            raise ScoringError(_("Two items have the key %(key)s.") % {"key": key}, field=f"{where}.key")
        seen.add(key)
        label = row.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            raise ScoringError(
                _("Each item needs a label of at most 200 characters."), field=f"{where}.label"
            )
        fatal = row.get("fatal", False)
        if not isinstance(fatal, bool):
            raise ScoringError(_("Fatal is true or false."), field=f"{where}.fatal")
        if fatal:
            items.append(Item(key=key, label=label.strip(), fatal=True))
            continue
        items.append(
            Item(
                key=key,
                label=label.strip(),
                max_points=_int(row.get("max_points"), f"{where}.max_points", 1, MAX_POINTS),
                weight=_int(row.get("weight", 1), f"{where}.weight", 1, MAX_WEIGHT),
            )
        )
    if all(item.fatal for item in items):
        raise ScoringError(_("A form needs at least one item that is not fatal."))
    return items


@dataclass(frozen=True)
class Score:
    total: float
    fatal: bool
    points: dict[str, int]
    fatal_hits: tuple[str, ...]


def score_compute(items: list[Item], points: dict, fatal_hits) -> Score:
    """The score of a set of points on ``items``: 0..100, one decimal; 0 when a fatal item is ticked.

    Every ordinary item must be given points; a fatal key that is not on the form is refused.
    """
    fatal_keys = {i.key for i in items if i.fatal}
    hits = tuple(sorted(set(fatal_hits or ())))
    for key in hits:
        if key not in fatal_keys:
            raise ScoringError(_("%(key)s is not a fatal item of this form.") % {"key": key}, field="fatal")
    if not isinstance(points, dict):
        raise ScoringError(_("Points are given per item."), field="points")
    known = {i.key for i in items if not i.fatal}
    for key in points:
        if key not in known:
            raise ScoringError(
                _("%(key)s is not an item of this form.") % {"key": key}, field=f"points.{key}"
            )
    given: dict[str, int] = {}
    reached = 0.0
    weights = 0
    for item in items:
        if item.fatal:
            continue
        if item.key not in points:
            raise ScoringError(
                _("Give points for %(label)s.") % {"label": item.label}, field=f"points.{item.key}"
            )
        p = _int(points[item.key], f"points.{item.key}", 0, item.max_points)
        given[item.key] = p
        reached += item.weight * p / item.max_points
        weights += item.weight
    total = 0.0 if hits else round(100 * reached / weights, 1)
    return Score(total=total, fatal=bool(hits), points=given, fatal_hits=hits)
