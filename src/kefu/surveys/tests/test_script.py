"""The pure core of survey scripts: validation, answers and branching, with properties over random answers."""

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.surveys import script as pure


def _defn(**over):
    d = pure.example()
    d.update(over)
    return d


def test_the_example_script_is_valid_and_branches_on_dissatisfaction():
    s = pure.parse(pure.example())
    assert s.satisfaction == "overall"
    assert pure.next_question(s, s.first, 1).id == "why"
    assert pure.next_question(s, s.first, 5).id == "solved"
    assert pure.next_question(s, s.question("why"), None).id == "solved"
    assert pure.next_question(s, s.question("recommend"), 9) is None


@translation.override("en")
def test_problems_name_the_question_and_the_reason():
    bad = _defn(
        questions=[
            {"id": "a", "type": "five_level", "text": "?", "next": {"7": "b", "*": "zz"}},
            {"id": "b", "type": "single", "text": "?", "options": [{"code": "x", "label": "X"}]},
        ]
    )
    problems = pure.problems_of(bad)
    assert any("b" in p and "2 to" in p for p in problems)
    loop = _defn(
        questions=[
            {"id": "a", "type": "yes_no", "text": "?", "next": {"yes": "b", "no": "end"}},
            {"id": "b", "type": "yes_no", "text": "?", "next": "a"},
        ],
        satisfaction=None,
    )
    assert any("loop" in p for p in pure.problems_of(loop))
    unreachable = _defn(
        questions=[
            {"id": "a", "type": "yes_no", "text": "?", "next": "end"},
            {"id": "b", "type": "text", "text": "?"},
        ],
        satisfaction=None,
    )
    assert any("no answer leads" in p for p in pure.problems_of(unreachable))
    assert pure.problems_of([]) and pure.problems_of({"title": "x", "questions": []})
    assert any("satisfaction" in p for p in pure.problems_of(_defn(satisfaction="solved")))


def test_answers_are_made_canonical_or_refused():
    s = pure.parse(
        _defn(
            questions=[
                {
                    "id": "m",
                    "type": "multiple",
                    "text": "?",
                    "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
                    "next": {"b": "end"},
                },
                {"id": "n", "type": "score", "text": "?"},
            ],
            satisfaction=None,
        )
    )
    m, n = s.questions
    assert pure.answer_parse(m, "b,a") == ["a", "b"]
    assert pure.next_question(s, m, ["a", "b"]) is None  # the first chosen option the map names
    assert pure.next_question(s, m, ["a"]).id == "n"
    for bad in ("c", ["a", "zz"]):
        try:
            pure.answer_parse(m, bad)
        except pure.AnswerError:
            pass
        else:
            raise AssertionError(bad)
    assert pure.answer_parse(n, "10") == 10
    assert pure.answer_parse(n, "") is None


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["overall", "why", "solved", "recommend", "other"]),
        st.one_of(st.integers(-2, 12).map(str), st.sampled_from(["yes", "no", "", "bad"])),
        max_size=5,
    )
)
def test_walking_any_answers_stays_on_the_path_and_ends_or_asks(answers):
    s = pure.parse(pure.example())
    try:
        taken, pending = pure.walk(s, answers)
    except pure.AnswerError as exc:
        assert str(exc).split(":")[0] in answers
        return
    assert set(taken) <= {q.id for q in s.questions}
    if pending is None:
        assert "recommend" in taken  # every path ends after the last question
    else:
        assert pending.id not in taken
    sat = pure.satisfaction_of(s, taken)
    assert sat is None or 1 <= sat <= 5
