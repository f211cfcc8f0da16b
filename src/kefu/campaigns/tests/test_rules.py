"""The pure rules: numbers, retries, pacing, calling hours (property tests)."""

from datetime import time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kefu.campaigns import rules


def test_numbers_are_normalised_or_refused():
    assert rules.number_normalize("+86 139-0000-0002") == "13900000002"
    assert rules.number_normalize("020-87654321") == "02087654321"
    assert rules.number_normalize("12345") is None
    assert rules.number_normalize("23900000002") is None
    assert rules.number_normalize("") is None


@given(st.sampled_from(rules.OUTCOMES), st.integers(1, 10), st.integers(1, 10), st.integers(1, 600))
def test_a_target_is_retried_only_for_retried_outcomes_and_never_past_its_attempts(outcome, attempts, max_attempts,
                                                                                   minutes):
    step = rules.after_outcome(outcome, attempts=attempts, max_attempts=max_attempts,
                               retry_delay=timedelta(minutes=minutes))
    assert step.done == (outcome not in rules.RETRIED or attempts >= max_attempts)
    assert (step.retry_after is None) == step.done
    if not step.done:
        assert step.retry_after == timedelta(minutes=minutes)


@given(st.integers(0, 500), st.integers(0, 1000))
def test_free_slots_never_exceed_the_pacing(pacing, in_flight):
    slots = rules.free_slots(pacing=pacing, in_flight=in_flight)
    assert 0 <= slots <= pacing and slots + min(in_flight, pacing) == pacing


@given(st.times(), st.times(), st.times())
def test_calling_hours(at, start, end):
    inside = rules.within_hours(at, start, end)
    if start == end:
        assert inside
    elif start < end:
        assert inside == (start <= at < end)
    else:
        assert inside == (not end <= at < start)


def test_calling_hours_across_midnight():
    assert rules.within_hours(time(23, 0), time(22, 0), time(6, 0))
    assert not rules.within_hours(time(12, 0), time(22, 0), time(6, 0))


def test_failed_dials_count_as_no_answer_unless_busy_or_invalid():
    assert rules.dial_outcome("busy") == "busy"
    assert rules.dial_outcome("invalid_number") == "invalid_number"
    assert {rules.dial_outcome(o) for o in ("no_answer", "answer_machine", "rejected", "timeout")} == {"no_answer"}
