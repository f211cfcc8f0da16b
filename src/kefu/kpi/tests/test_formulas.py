"""Indicator formulas and interval attribution on small hand-computed data sets (no database)."""

from datetime import datetime, timedelta

from kefu.kpi.aggregate import ContactFact, StateSpan, add_agent_states, add_contacts, new_rows, sum_measures
from kefu.kpi.catalogue import BY_CODE, GROUPS, INDICATORS, evaluate

T0 = datetime(2026, 3, 2, 9, 0)


def contact(
    start_s=0,
    *,
    wait=None,
    talk=60,
    hold=0,
    wrap=30,
    abandon_after=None,
    transfers=0,
    agent=7,
    queue=1,
    order=False,
    direction="in",
):
    """A contact arriving ``start_s`` seconds after 09:00, answered after ``wait`` or abandoned after
    ``abandon_after`` seconds."""
    start = T0 + timedelta(seconds=start_s)
    answered = start + timedelta(seconds=wait) if wait is not None else None
    if answered is not None:
        ended = answered + timedelta(seconds=talk + hold)
    else:
        ended = start + timedelta(seconds=abandon_after or 0)
    return ContactFact(
        started_at=start,
        channel="voice",
        direction=direction,
        org_id=1,
        queue_id=queue,
        team_id=3,
        agent_id=agent if answered else None,
        enqueued_at=start,
        answered_at=answered,
        ended_at=ended,
        wrap_up_ended_at=ended + timedelta(seconds=wrap) if answered else None,
        hold_seconds=hold,
        transfers=transfers,
        abandoned=answered is None,
        sl_seconds=20,
        short_abandon_seconds=5,
        made_order=order,
    )


def totals(facts):
    return sum_measures(add_contacts(new_rows(), facts).values())


def test_catalogue_holds_the_four_groups_and_every_required_indicator():
    assert len(INDICATORS) >= 23
    assert {i.group for i in INDICATORS} == set(GROUPS)
    for code in (
        "answer_rate",
        "service_level",
        "asa",
        "abandon_rate",
        "aht",
        "occupancy",
        "fcr",
        "transfer_rate",
        "ivr_self_service",
        "wo_on_time",
        "wo_overdue",
        "complaint_rate",
        "repeat_complaint_rate",
        "appeal_rate",
        "satisfaction",
        "outbound_reach",
        "conversion",
        "qa_score",
    ):
        assert code in BY_CODE
    assert len(BY_CODE) == len(INDICATORS)


def test_no_calls_gives_no_figure_rather_than_zero():
    values = evaluate({})
    assert values["answer_rate"] is None and values["service_level"] is None and values["asa"] is None
    assert values["aht"] is None and values["abandon_rate"] is None
    assert values["offered"] == 0


def test_mixed_small_set():
    # 4 answered (waits 10, 15, 30, 40 s), 1 abandoned after 60 s, 1 short abandon after 3 s.
    m = totals(
        [
            contact(0, wait=10, talk=100, hold=20, wrap=30),
            contact(60, wait=15, talk=200, wrap=0, order=True),
            contact(120, wait=30, transfers=1),
            contact(180, wait=40, talk=60, wrap=60),
            contact(240, abandon_after=60),
            contact(300, abandon_after=3),
        ]
    )
    v = evaluate(m)
    assert m["offered"] == 5  # 4 answered + 2 abandoned − 1 short
    assert v["answer_rate"] == 80.0  # 4 / 5
    assert v["service_level"] == 40.0  # 2 within 20 s / 5 offered: the abandoned one is a miss
    assert v["asa"] == 23.75  # (10+15+30+40) / 4
    assert v["abandon_rate"] == 20.0  # (2−1) / 5
    assert v["short_abandon_share"] == 50.0
    # talk 100+200+60+60 = 420, hold 20, wrap 30+0+30+60 = 120 → 560 / 4
    assert v["aht"] == 140.0
    assert v["transfer_rate"] == 25.0
    assert v["fcr"] == 75.0  # one of four handled made a work order


def test_all_abandoned():
    v = evaluate(
        totals([contact(0, abandon_after=30), contact(10, abandon_after=90), contact(20, abandon_after=2)])
    )
    assert v["answer_rate"] == 0.0 and v["service_level"] == 0.0 and v["abandon_rate"] == 100.0
    assert v["asa"] is None and v["aht"] is None and v["fcr"] is None


def test_only_short_abandons_leave_nothing_offered():
    v = evaluate(totals([contact(0, abandon_after=1), contact(5, abandon_after=4)]))
    assert v["offered"] == 0 and v["answer_rate"] is None and v["service_level"] is None


def test_contact_spanning_a_boundary_stays_in_its_starting_interval():
    # Starts 09:14:50, answered 09:15:10, talks into the next interval.
    rows = add_contacts(new_rows(), [contact(14 * 60 + 50, wait=20, talk=600)])
    assert [k[0] for k in rows] == [datetime(2026, 3, 2, 9, 0)]
    only = next(iter(rows.values()))
    assert only["answered"] == 1 and only["answered_in_sl"] == 1 and only["talk_s"] == 600


def test_outbound_and_ivr_only_contacts_are_not_counted_as_offered():
    ivr_only = ContactFact(
        started_at=T0,
        channel="voice",
        direction="in",
        org_id=1,
        queue_id=None,
        team_id=None,
        agent_id=None,
        enqueued_at=None,
        answered_at=None,
        ended_at=T0,
        wrap_up_ended_at=None,
        hold_seconds=0,
        transfers=0,
        abandoned=True,
        sl_seconds=20,
        short_abandon_seconds=5,
    )
    assert totals([ivr_only, contact(0, wait=5, direction="out")]) == {}


def test_agent_time_is_split_at_interval_boundaries():
    spans = [
        StateSpan(7, 3, 1, "busy", T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)),
        StateSpan(7, 3, 1, "ready", T0 + timedelta(minutes=20), None),
    ]
    rows = add_agent_states(new_rows(), spans, since=T0, until=T0 + timedelta(minutes=30))
    by_bucket = {k[0].minute: dict(v) for k, v in rows.items()}
    assert by_bucket[0] == {"busy_s": 300.0}
    assert by_bucket[15] == {"busy_s": 300.0, "ready_s": 600.0}
    v = evaluate(sum_measures(rows.values()))
    assert v["occupancy"] == 50.0  # 600 busy / (600 busy + 600 ready)


def test_quality_score_is_the_mean_of_the_scores_and_nothing_without_scores():
    assert BY_CODE["qa_score"].available
    assert BY_CODE["qa_score"].value({"qa_scored": 3, "qa_score_sum": 270}) == 90.0
    assert BY_CODE["qa_score"].value({"qa_scored": 0, "qa_score_sum": 0}) is None


def test_work_order_and_marketing_formulas():
    m = {
        "orders_closed": 8,
        "orders_closed_late": 2,
        "complaints": 4,
        "repeat_complaints": 1,
        "appeals": 1,
        "subscribers": 20_000,
        "replies_rated": 5,
        "replies_satisfied": 4,
        "outbound_attempts": 10,
        "outbound_reached": 6,
        "outbound_success": 3,
    }
    v = evaluate(m)
    assert v["wo_on_time"] == 75.0 and v["complaint_rate"] == 2.0 and v["repeat_complaint_rate"] == 25.0
    assert v["appeal_rate"] == 25.0 and v["satisfaction"] == 80.0
    assert v["outbound_reach"] == 60.0 and v["conversion"] == 50.0


def test_the_indicator_page_lists_every_indicator():
    from kefu.kpi.docgen import DOC, indicators_markdown

    text = DOC.read_text(encoding="utf-8")
    assert text == indicators_markdown(), "docs/indicators.md is stale: run python -m kefu.kpi.docgen"
    for i in INDICATORS:
        assert f"`{i.code}`" in text and i.zh in text
