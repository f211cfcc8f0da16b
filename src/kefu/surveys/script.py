"""Survey scripts (调查脚本) as pure data: question types, validation, answers and branching.

No ORM here. A script definition is the JSON stored on a script version (docs/surveys.md):

    {
      "title": "服务满意度回访",
      "intro": "感谢您抽出时间……",
      "satisfaction": "overall",
      "questions": [
        {"id": "overall", "type": "five_level", "text": "您对本次服务满意吗？",
         "next": {"1": "why", "2": "why", "*": "recommend"}},
        {"id": "why", "type": "text", "text": "请告诉我们哪里做得不好", "required": false},
        {"id": "recommend", "type": "score", "text": "您向朋友推荐我们的可能性（0–10）"}
      ]
    }

``next`` is either a question id, ``"end"``, or a map from an answer (its canonical text: ``"4"``,
``"yes"``, an option code) to a question id or ``"end"``, with ``"*"`` for any other answer. Without
``next`` the script goes on to the following question in the list. A multiple-choice question branches
on the first chosen option (in the question's order) that the map names. ``satisfaction`` names the
five-level question whose answer is the survey's satisfaction (the first five-level question if absent).
Every door (web page, IVR digits, imported file) answers through ``answer_parse`` and ``next_question``,
so the same script behaves the same everywhere.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

from kefu.core.lazytext import gettext as _
from kefu.core.lazytext import gettext_lazy

TYPES = ("five_level", "yes_no", "single", "multiple", "score", "text")
TYPE_LABELS = {
    "five_level": gettext_lazy("Five levels of satisfaction"),
    "yes_no": gettext_lazy("Yes or no"),
    "single": gettext_lazy("Single choice"),
    "multiple": gettext_lazy("Multiple choice"),
    "score": gettext_lazy("Score from 0 to 10"),
    "text": gettext_lazy("Free text"),
}
END = "end"
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
MAX_QUESTIONS = 50
MAX_OPTIONS = 20
TEXT_MAX = 500
ANSWER_TEXT_MAX = 1000

Answer = int | str | list[str]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    required: bool
    options: tuple[tuple[str, str], ...]  # (code, label) for single and multiple choice
    next: str | dict[str, str] | None

    def canonical(self) -> tuple[str, ...]:
        """The answers a branch map may name."""
        if self.type == "five_level":
            return tuple(str(v) for v in range(1, 6))
        if self.type == "score":
            return tuple(str(v) for v in range(11))
        if self.type == "yes_no":
            return ("yes", "no")
        if self.type in ("single", "multiple"):
            return tuple(code for code, _label in self.options)
        return ()


@dataclass(frozen=True)
class Script:
    title: str
    intro: str
    questions: tuple[Question, ...]
    satisfaction: str | None

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    @property
    def first(self) -> Question:
        return self.questions[0]


class ScriptError(ValueError):
    """A definition that is not a valid script; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class AnswerError(ValueError):
    """An answer a question does not accept."""


def _text(value: Any, limit: int = TEXT_MAX) -> str | None:
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= limit else None


def _question(raw: Any, index: int, problems: list[str]) -> Question | None:
    where = _("Question %(n)s") % {"n": index + 1}
    if not isinstance(raw, dict):
        problems.append(_("%(where)s: must be an object.") % {"where": where})
        return None
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_RE.match(qid) or qid == END:
        problems.append(
            _("%(where)s: the id must be a letter then letters, digits or _ (at most 32).") % {"where": where}
        )
        return None
    where = f"{where} ({qid})"
    qtype = raw.get("type")
    if qtype not in TYPES:
        problems.append(_("%(where)s: unknown type %(type)r.") % {"where": where, "type": qtype})
        return None
    text = _text(raw.get("text"))
    if text is None:
        problems.append(
            _("%(where)s: the question text is required (at most %(max)s characters).")
            % {"where": where, "max": TEXT_MAX}
        )
    options: list[tuple[str, str]] = []
    if qtype in ("single", "multiple"):
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= MAX_OPTIONS:
            problems.append(
                _("%(where)s: a choice needs 2 to %(max)s options.") % {"where": where, "max": MAX_OPTIONS}
            )
        else:
            for opt in raw_options:
                code = opt.get("code") if isinstance(opt, dict) else None
                label = _text(opt.get("label")) if isinstance(opt, dict) else None
                if not isinstance(code, str) or not ID_RE.match(code) or label is None:
                    problems.append(
                        _("%(where)s: every option needs a code (letters, digits, _) and a label.")
                        % {"where": where}
                    )
                    break
                options.append((code, label))
            if len({c for c, _label in options}) != len(options):
                problems.append(_("%(where)s: option codes must be unique.") % {"where": where})
    elif "options" in raw and raw["options"]:
        problems.append(_("%(where)s: only single and multiple choices have options.") % {"where": where})
    required = raw.get("required", True)
    if not isinstance(required, bool):
        problems.append(_("%(where)s: required must be true or false.") % {"where": where})
        required = True
    nxt = raw.get("next")
    if nxt is not None and not isinstance(nxt, str | dict):
        problems.append(_("%(where)s: next must be a question id or a map of answers.") % {"where": where})
        nxt = None
    return Question(id=qid, type=qtype, text=text or "", required=required, options=tuple(options), next=nxt)


def _branches(script: Script, problems: list[str]) -> None:
    ids = {q.id for q in script.questions}
    for q in script.questions:
        targets: list[str] = []
        if isinstance(q.next, str):
            targets = [q.next]
        elif isinstance(q.next, dict):
            if q.type == "text":
                problems.append(
                    _("Question %(id)s: a free-text answer cannot branch; give one next question.")
                    % {"id": q.id}
                )
            allowed = set(q.canonical()) | {"*"}
            for key, target in q.next.items():
                if key not in allowed:
                    problems.append(
                        _("Question %(id)s: the branch %(key)r is not a possible answer.")
                        % {"id": q.id, "key": key}
                    )
                if not isinstance(target, str):
                    problems.append(
                        _("Question %(id)s: a branch must lead to a question id or end.") % {"id": q.id}
                    )
                else:
                    targets.append(target)
        for target in targets:
            if target != END and target not in ids:
                problems.append(
                    _("Question %(id)s: leads to %(target)r, which is not a question.")
                    % {"id": q.id, "target": target}
                )
            elif target == q.id:
                problems.append(_("Question %(id)s: leads to itself.") % {"id": q.id})
    if problems:
        return
    seen = {script.first.id}
    todo = deque([script.first.id])
    while todo:
        q = script.question(todo.popleft())
        assert q is not None
        for target in _targets(script, q):
            if target != END and target not in seen:
                seen.add(target)
                todo.append(target)
    for q in script.questions:
        if q.id not in seen:
            problems.append(_("Question %(id)s: no answer leads to it.") % {"id": q.id})
    if _has_loop(script):
        problems.append(_("The branches make a loop: a survey must always come to an end."))


def _follower(script: Script, q: Question) -> str:
    i = script.questions.index(q)
    return script.questions[i + 1].id if i + 1 < len(script.questions) else END


def _targets(script: Script, q: Question) -> set[str]:
    """Every question (or end) an answer to ``q`` may lead to."""
    if isinstance(q.next, str):
        return {q.next}
    if isinstance(q.next, dict):
        out = set(q.next.values())
        if "*" not in q.next or not q.required:
            out.add(_follower(script, q))
        return out
    return {_follower(script, q)}


def _has_loop(script: Script) -> bool:
    state: dict[str, int] = {}

    def visit(qid: str) -> bool:
        state[qid] = 1
        q = script.question(qid)
        assert q is not None
        for t in _targets(script, q):
            if t == END:
                continue
            if state.get(t) == 1 or (t not in state and visit(t)):
                return True
        state[qid] = 2
        return False

    return any(visit(q.id) for q in script.questions if q.id not in state)


def parse(definition: Any) -> Script:
    """The script of ``definition``; ``ScriptError`` listing every problem when it is not valid."""
    problems: list[str] = []
    if not isinstance(definition, dict):
        raise ScriptError([_("A script must be a JSON object.")])
    title = _text(definition.get("title"), 200)
    if title is None:
        problems.append(_("The title is required (at most 200 characters)."))
    intro = definition.get("intro", "")
    if not isinstance(intro, str) or len(intro) > 2000:
        problems.append(_("The introduction must be text of at most 2000 characters."))
        intro = ""
    raw = definition.get("questions")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_QUESTIONS:
        raise ScriptError([*problems, _("A script needs 1 to %(max)s questions.") % {"max": MAX_QUESTIONS}])
    questions = [q for i, r in enumerate(raw) if (q := _question(r, i, problems)) is not None]
    if len({q.id for q in questions}) != len(questions):
        problems.append(_("Question ids must be unique."))
    sat = definition.get("satisfaction")
    five = [q.id for q in questions if q.type == "five_level"]
    if sat is not None and sat not in five:
        problems.append(_("The satisfaction question must name a five-level question."))
    if problems:
        raise ScriptError(problems)
    script = Script(
        title=title or "",
        intro=intro.strip(),
        questions=tuple(questions),
        satisfaction=sat or (five[0] if five else None),
    )
    _branches(script, problems)
    if problems:
        raise ScriptError(problems)
    return script


def problems_of(definition: Any) -> list[str]:
    try:
        parse(definition)
    except ScriptError as exc:
        return exc.problems
    return []


def answer_parse(q: Question, raw: Any) -> Answer | None:
    """The canonical answer of ``raw`` (form text, a digit string, a JSON value); ``None`` = not answered.

    Five levels and scores are integers, yes/no is ``"yes"``/``"no"``, a single choice its option code, a
    multiple choice the list of chosen codes in the question's order, free text the stripped text.
    """
    if raw is None or raw == "" or raw == []:
        return None
    if q.type in ("five_level", "score"):
        high = 5 if q.type == "five_level" else 10
        low = 1 if q.type == "five_level" else 0
        try:
            value = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise AnswerError(
                _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return value
    if q.type == "yes_no":
        text = str(raw).strip().lower()
        if text in ("yes", "y", "1", "true", "是"):
            return "yes"
        if text in ("no", "n", "0", "2", "false", "否"):
            return "no"
        raise AnswerError(_("Answer yes or no."))
    codes = [c for c, _label in q.options]
    if q.type == "single":
        if str(raw).strip() not in codes:
            raise AnswerError(_("Choose one of the options."))
        return str(raw).strip()
    if q.type == "multiple":
        items = raw if isinstance(raw, list) else [p for p in re.split(r"[|;,\s]+", str(raw)) if p]
        chosen = {str(i).strip() for i in items}
        if not chosen <= set(codes):
            raise AnswerError(_("Choose among the options."))
        return [c for c in codes if c in chosen]
    text = str(raw).strip()
    if len(text) > ANSWER_TEXT_MAX:
        raise AnswerError(_("At most %(max)s characters.") % {"max": ANSWER_TEXT_MAX})
    return text or None


def answer_key(answer: Answer | None) -> str | None:
    """The canonical text a branch map names (``None`` for no answer)."""
    if answer is None:
        return None
    if isinstance(answer, list):
        return answer[0] if answer else None
    return str(answer)


def next_question(script: Script, q: Question, answer: Answer | None) -> Question | None:
    """The question after ``q`` answered ``answer`` (``None``: the survey is over)."""
    target: str | None = None
    if isinstance(q.next, str):
        target = q.next
    elif isinstance(q.next, dict) and answer is not None:
        keys = answer if isinstance(answer, list) else [answer_key(answer)]
        target = next((q.next[str(k)] for k in keys if str(k) in q.next), q.next.get("*"))
    if target is None:
        target = _follower(script, q)
    return None if target == END else script.question(target)


def walk(script: Script, answers: dict[str, Any]) -> tuple[dict[str, Answer | None], Question | None]:
    """Follow the script through ``answers`` (raw values by question id): the canonical answers on the path
    taken, and the first question still to ask (``None`` when the survey is complete).

    Answers off the path are ignored; an invalid answer raises ``AnswerError`` naming the question.
    """
    taken: dict[str, Answer] = {}
    q: Question | None = script.first
    while q is not None:
        if q.id not in answers:
            return taken, q
        try:
            value = answer_parse(q, answers[q.id])
        except AnswerError as exc:
            raise AnswerError(f"{q.id}: {exc}") from None
        if value is None and q.required:
            return taken, q
        taken[q.id] = value  # None: an optional question skipped
        q = next_question(script, q, value)
    return taken, None


def satisfaction_of(script: Script, answers: dict[str, Answer | None]) -> int | None:
    """The survey's satisfaction level (1–5), if its satisfaction question was answered."""
    value = answers.get(script.satisfaction) if script.satisfaction else None
    return value if isinstance(value, int) else None


def example() -> dict:
    """A small valid script, the starting point of a new draft."""
    return {
        "title": str(_("Service satisfaction survey")),
        "intro": str(_("Thank you for taking a minute to tell us about our service.")),
        "satisfaction": "overall",
        "questions": [
            {
                "id": "overall",
                "type": "five_level",
                "text": str(_("How satisfied are you with our service?")),
                "next": {"1": "why", "2": "why", "*": "solved"},
            },
            {"id": "why", "type": "text", "text": str(_("What should we do better?")), "required": False},
            {"id": "solved", "type": "yes_no", "text": str(_("Was your problem solved?"))},
            {
                "id": "recommend",
                "type": "score",
                "text": str(_("How likely are you to recommend us to a friend (0–10)?")),
            },
        ],
    }
