"""Process templates (流程模板) as pure data: parsing, validation, transitions.

No ORM here. A template definition is JSON stored on a template version:

    {
      "start": "accept",
      "stations": [
        {"code": "accept", "name": "受理", "holder": "creator",
         "actions": {"dispatch": "process", "withdraw": "closed"}},
        {"code": "process", "name": "处理", "holder": "assignee",
         "actions": {"process": "review", "return": "accept", "forward": "process"}},
        ...
        {"code": "closed", "name": "已关闭", "final": true, "actions": {"reopen": "@appeal"}}
      ]
    }

``actions`` maps an action to the next station, or to ``{outcome: station}`` when the result
decides (a suggestion reviewed ``invalid`` closes, ``valid`` goes on to dispatch); ``"@stay"`` keeps the order where it is (urge,
escalate, forward while waiting). ``"@appeal"`` creates a new appeal order instead of moving this one.
``holder`` says who holds the order at that station: ``creator`` (first-contact owner),
``assignee`` (whoever the dispatching action names), ``previous`` (back to who sent it), or
``org:<code>`` / ``role:<name>`` for a fixed holder.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

ACTIONS = (
    "accept", "review", "verify", "dispatch", "process", "locate", "repair", "return", "withdraw", "forward",
    "urge", "escalate", "reply", "close", "reopen", "report", "answer", "adoption",
)
_ACTION_ORDER = {a: i for i, a in enumerate(ACTIONS)}
STAY = "@stay"
APPEAL = "@appeal"
HOLDER_RULES = ("creator", "assignee", "previous", "province")

# Actions that must say why (opinion/reason text is required).
NEEDS_TEXT = {"return", "withdraw", "dispatch", "process", "reply", "escalate", "forward", "review", "verify",
              "report", "answer", "locate", "repair", "adoption"}


#: Every validation problem by key, in English with named placeholders. The same texts are the
#: msgids that ``workorders.template_problems`` translates (this module imports no Django).
PROBLEMS = {
    "not_object": "the definition must be an object",
    "no_stations": "the template needs a non-empty list of stations",
    "no_code": "station #%(n)s has no code",
    "duplicate": "station '%(station)s' is defined twice",
    "actions_not_map": "station '%(station)s': actions must map an action to the next station",
    "unknown_holder": "station '%(station)s': unknown holder rule '%(holder)s'",
    "no_outcomes": "station '%(station)s': action '%(action)s' has no outcomes",
    "unknown_start": "the start station '%(station)s' does not exist",
    "unknown_action": "station '%(station)s': unknown action '%(action)s'",
    "unknown_target": "station '%(station)s': action '%(action)s' leads to unknown station '%(target)s'",
    "dead_end": "station '%(station)s' is a dead end: no actions and not final",
    "no_final": "no final (closing) station",
    "unreachable": "station '%(station)s' cannot be reached from the start",
    "cannot_close": "station '%(station)s' has no path to a closing station",
}


@dataclass(frozen=True)
class Problem:
    """One reason a template cannot run: a key of ``PROBLEMS`` and its values."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self, template: str | None = None) -> str:
        return (template or PROBLEMS[self.key]) % dict(self.params)

    def __str__(self) -> str:
        return self.text()


def _p(key: str, **params) -> Problem:
    return Problem(key, tuple((k, str(v)) for k, v in params.items()))


class TemplateError(ValueError):
    """A template definition that cannot run; ``issues`` lists every reason (``problems`` in English)."""

    def __init__(self, issues: list[Problem]):
        self.issues = issues
        self.problems = [str(p) for p in issues]
        super().__init__("; ".join(self.problems))


class IllegalAction(ValueError):
    def __init__(self, action: str, station: str, allowed: list[str]):
        super().__init__(f"action {action!r} is not allowed at station {station!r}")
        self.action, self.station, self.allowed = action, station, allowed


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    name_en: str = ""
    holder: str = "assignee"
    final: bool = False
    actions: dict[str, str | dict[str, str]] = field(default_factory=dict)

    def display_name(self, language: str = "zh-hans") -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name

    def targets(self) -> set[str]:
        out: set[str] = set()
        for t in self.actions.values():
            out.update(t.values() if isinstance(t, dict) else [t])
        return out

    def outcomes(self, action: str) -> list[str]:
        target = self.actions.get(action)
        return [k for k in target if k != "default"] if isinstance(target, dict) else []


@dataclass(frozen=True)
class Template:
    start: str
    stations: dict[str, Station]

    def station(self, code: str) -> Station:
        return self.stations[code]

    def allowed_actions(self, station: str) -> list[str]:
        """In the canonical order of ``ACTIONS`` (PostgreSQL's jsonb does not keep key order)."""
        return sorted(self.stations[station].actions, key=_ACTION_ORDER.get)

    def next_station(self, station: str, action: str, outcome: str | None = None) -> str:
        """Where ``action`` (with its ``outcome``) at ``station`` leads; ``APPEAL`` passes through."""
        st = self.stations.get(station)
        if st is None or action not in st.actions:
            raise IllegalAction(action, station, list(st.actions) if st else [])
        target = st.actions[action]
        if isinstance(target, dict):
            if outcome in target:
                target = target[outcome]
            elif "default" in target:
                target = target["default"]
            else:
                raise IllegalAction(f"{action}:{outcome}", station, st.outcomes(action))
        return station if target == STAY else target

    def is_final(self, station: str) -> bool:
        return self.stations[station].final


def parse(definition: dict) -> Template:
    """Build a ``Template`` and validate it; raises ``TemplateError`` listing all problems."""
    problems: list[Problem] = []
    if not isinstance(definition, dict):
        raise TemplateError([_p("not_object")])
    raw_stations = definition.get("stations")
    if not isinstance(raw_stations, list) or not raw_stations:
        raise TemplateError([_p("no_stations")])
    stations: dict[str, Station] = {}
    for i, raw in enumerate(raw_stations):
        if not isinstance(raw, dict) or not raw.get("code"):
            problems.append(_p("no_code", n=i + 1))
            continue
        code = str(raw["code"])
        if code in stations:
            problems.append(_p("duplicate", station=code))
        actions = raw.get("actions") or {}
        if not isinstance(actions, dict):
            problems.append(_p("actions_not_map", station=code))
            actions = {}
        holder = str(raw.get("holder", "assignee"))
        if holder not in HOLDER_RULES and not holder.startswith(("org:", "role:")):
            problems.append(_p("unknown_holder", station=code, holder=holder))
        parsed: dict[str, str | dict[str, str]] = {}
        for a, t in actions.items():
            if isinstance(t, dict):
                if not t:
                    problems.append(_p("no_outcomes", station=code, action=a))
                parsed[str(a)] = {str(k): str(v) for k, v in t.items()}
            else:
                parsed[str(a)] = str(t)
        stations[code] = Station(
            code=code, name=str(raw.get("name") or code), name_en=str(raw.get("name_en") or ""), holder=holder,
            final=bool(raw.get("final")), actions=parsed,
        )
    start = str(definition.get("start") or "")
    if start not in stations:
        problems.append(_p("unknown_start", station=start))
    for st in stations.values():
        for action, target in st.actions.items():
            if action not in ACTIONS:
                problems.append(_p("unknown_action", station=st.code, action=action))
            for t in target.values() if isinstance(target, dict) else [target]:
                if t not in (STAY, APPEAL) and t not in stations:
                    problems.append(_p("unknown_target", station=st.code, action=action, target=t))
        if not st.final and not st.actions:
            problems.append(_p("dead_end", station=st.code))
    if not any(s.final for s in stations.values()):
        problems.append(_p("no_final"))
    if problems:
        raise TemplateError(problems)
    tpl = Template(start=start, stations=stations)
    problems.extend(_reachability_problems(tpl))
    if problems:
        raise TemplateError(problems)
    return tpl


def _edges(tpl: Template) -> dict[str, set[str]]:
    return {code: {t for t in st.targets() if t in tpl.stations} for code, st in tpl.stations.items()}


def _reachability_problems(tpl: Template) -> list[Problem]:
    edges = _edges(tpl)
    seen = {tpl.start}
    todo = deque([tpl.start])
    while todo:
        for nxt in edges[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    problems = [_p("unreachable", station=c) for c in tpl.stations if c not in seen]
    # Every station must have a path to a final station (a closing path exists).
    reverse: dict[str, set[str]] = {c: set() for c in tpl.stations}
    for src, targets in edges.items():
        for t in targets:
            reverse[t].add(src)
    can_close = {c for c, st in tpl.stations.items() if st.final}
    todo = deque(can_close)
    while todo:
        for prev in reverse[todo.popleft()]:
            if prev not in can_close:
                can_close.add(prev)
                todo.append(prev)
    problems += [_p("cannot_close", station=c) for c in tpl.stations if c not in can_close]
    return problems
