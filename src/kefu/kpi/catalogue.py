"""The operations indicators (运营指标), defined once, as data.

Every indicator the reports, the API, the wallboard, the home page and
``docs/indicators.md`` show is one ``Indicator`` below: its code, names,
formula, unit, group, source records, how abandoned contacts count, which way
is good, and the one *source* (feeder) whose measures it is computed from.
The formulas are plain Python over summed measures (``dict[str, float]``), so
they are the same for a 15-minute bucket, a day, a queue or a whole province,
and are tested on hand-computed figures. No Django here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Measures = Mapping[str, float]

SERVICE, EFFICIENCY, QUALITY, MARKETING = "service", "efficiency", "quality", "marketing"
GROUPS: dict[str, tuple[str, str]] = {
    SERVICE: ("服务水平", "Service level"),
    EFFICIENCY: ("效率", "Efficiency"),
    QUALITY: ("质量", "Quality"),
    MARKETING: ("营销", "Marketing"),
}

#: Sources of measures: each is one function in ``services/sources.py`` (``source_<name>``) reading
#: another app through its selectors. ``None`` in ``available`` = not wired yet: shown as such, never faked.
SOURCES: dict[str, tuple[str, bool]] = {
    "contacts": (
        "Contact records (contactcenter.Contact), by the 15-minute interval the contact started in",
        True,
    ),
    "agent_states": (
        "Agent state changes (contactcenter.AgentStateChange), split at interval boundaries",
        True,
    ),
    "ivr": ("IVR sessions (ivr.IvrSession), by the interval the session started in", True),
    "orders": (
        "Work orders (workorders.WorkOrder), by the interval of each event (created, closed, replied, overdue)",
        True,
    ),
    "campaigns": ("Campaign attempts (campaigns.Attempt), by the interval the attempt started in", True),
    "subscribers": (
        "Active subscribers (crm.Subscriber) of the organisation, counted when the report is read",
        True,
    ),
    "order_replies": (
        "Customer's satisfaction recorded with a work order's reply (workorders.WorkOrder.satisfaction) and "
        "survey answers with a satisfaction level (surveys.Survey.satisfaction), by the interval answered in",
        True,
    ),
    "quality": ("QA scores of inspected contacts (quality.Inspection.score, as revised after a dispute), by the "
                "interval scored", True),
}

UP, DOWN, TARGET = "up", "down", "target"

ABANDON_NOT_APPLICABLE = "—"
ABANDON_SL = (
    "Offered = answered + abandoned − short-abandoned; an abandoned contact is a miss (counts in the "
    "denominator, never in the numerator); short abandons (hung up before the short-abandon threshold) "
    "are left out of both."
)
ABANDON_ANSWER = (
    "Offered = answered + abandoned − short-abandoned: short abandons are left out, every other "
    "abandoned contact counts as not answered."
)
ABANDON_ASA = "Only answered contacts count; abandoned contacts do not enter the average."
ABANDON_RATE = (
    "Abandoned − short-abandoned over offered (answered + abandoned − short-abandoned); contacts still "
    "waiting are not counted yet."
)
ABANDON_SHORT = "Short-abandoned over all abandoned: the callers who hung up before the threshold."
ABANDON_HANDLED = "Only answered and ended contacts (handled); abandoned contacts have no handle time."


def ratio(num: float, den: float, scale: float = 100.0) -> float | None:
    """``num / den × scale``, or ``None`` when nothing was counted (no calls is no figure, not 0 %)."""
    return None if not den else round(num * scale / den, 2)


@dataclass(frozen=True)
class Indicator:
    code: str
    zh: str
    en: str
    group: str
    unit: str  # "%", "s", "count", "per 10k", "score"
    formula: str
    source: str  # key of SOURCES
    good: str  # UP, DOWN or TARGET
    compute: Callable[[Measures], float | None]
    abandoned: str = ABANDON_NOT_APPLICABLE
    measures: tuple[str, ...] = ()
    extra_sources: tuple[str, ...] = field(default=())

    def value(self, m: Measures) -> float | None:
        if not self.available:
            return None
        return self.compute(m)

    @property
    def available(self) -> bool:
        return SOURCES[self.source][1] and all(SOURCES[s][1] for s in self.extra_sources)

    def name(self, language: str) -> str:
        return self.zh if language.lower().startswith("zh") else self.en


def _offered(m: Measures) -> float:
    return m.get("answered", 0) + m.get("abandoned", 0) - m.get("short_abandoned", 0)


def _avg(total: str, count: str) -> Callable[[Measures], float | None]:
    return lambda m: ratio(m.get(total, 0), m.get(count, 0), 1)


def _rate(num: str, den: str, scale: float = 100.0) -> Callable[[Measures], float | None]:
    return lambda m: ratio(m.get(num, 0), m.get(den, 0), scale)


def _handle_time(m: Measures) -> float | None:
    return ratio(m.get("talk_s", 0) + m.get("hold_s", 0) + m.get("wrap_s", 0), m.get("handled", 0), 1)


def _occupancy(m: Measures) -> float | None:
    return ratio(m.get("busy_s", 0), m.get("busy_s", 0) + m.get("ready_s", 0))


def _utilisation(m: Measures) -> float | None:
    return ratio(m.get("busy_s", 0), m.get("busy_s", 0) + m.get("ready_s", 0) + m.get("not_ready_s", 0))


def _on_time(m: Measures) -> float | None:
    return ratio(m.get("orders_closed", 0) - m.get("orders_closed_late", 0), m.get("orders_closed", 0))


CONTACT_MEASURES = (
    "offered",
    "answered",
    "answered_in_sl",
    "abandoned",
    "short_abandoned",
    "answer_wait_s",
    "handled",
    "talk_s",
    "hold_s",
    "wrap_s",
    "transferred",
    "resolved_first",
)
AGENT_MEASURES = ("ready_s", "busy_s", "not_ready_s")
IVR_MEASURES = ("ivr_sessions", "ivr_self_served")
ORDER_MEASURES = (
    "orders_created",
    "complaints",
    "repeat_complaints",
    "appeals",
    "orders_closed",
    "orders_closed_late",
    "orders_overdue",
    "replies_rated",
    "replies_satisfied",
)
CAMPAIGN_MEASURES = ("outbound_attempts", "outbound_reached", "outbound_success")
QUALITY_MEASURES = ("qa_scored", "qa_score_sum")
#: Every summed column of an interval row, in the order of the table.
MEASURES = (
    CONTACT_MEASURES + AGENT_MEASURES + IVR_MEASURES + ORDER_MEASURES + CAMPAIGN_MEASURES + QUALITY_MEASURES
)


INDICATORS: tuple[Indicator, ...] = (
    # --- Service level --------------------------------------------------------------------------
    Indicator(
        "offered",
        "呼入量",
        "Contacts offered",
        SERVICE,
        "count",
        "answered + abandoned − short-abandoned (inbound contacts that reached a queue)",
        "contacts",
        UP,
        _offered,
        ABANDON_ANSWER,
        ("answered", "abandoned", "short_abandoned"),
    ),
    Indicator(
        "answered",
        "接通量",
        "Contacts answered",
        SERVICE,
        "count",
        "inbound contacts answered by an agent",
        "contacts",
        UP,
        lambda m: m.get("answered", 0),
        "Abandoned contacts are not answered and do not count.",
        ("answered",),
    ),
    Indicator(
        "answer_rate",
        "接通率",
        "Answer rate",
        SERVICE,
        "%",
        "answered ÷ offered × 100",
        "contacts",
        UP,
        lambda m: ratio(m.get("answered", 0), _offered(m)),
        ABANDON_ANSWER,
        ("answered", "abandoned", "short_abandoned"),
    ),
    Indicator(
        "service_level",
        "服务水平",
        "Service level",
        SERVICE,
        "%",
        "answered within the queue's y seconds ÷ offered × 100 (x % in y s: target and seconds are the "
        "queue's, defaults kpi.sl_target_percent and kpi.sl_seconds)",
        "contacts",
        TARGET,
        lambda m: ratio(m.get("answered_in_sl", 0), _offered(m)),
        ABANDON_SL,
        ("answered_in_sl", "answered", "abandoned", "short_abandoned"),
    ),
    Indicator(
        "asa",
        "平均应答速度",
        "Average speed of answer",
        SERVICE,
        "s",
        "sum of waits of answered contacts (queued → answered) ÷ answered",
        "contacts",
        DOWN,
        _avg("answer_wait_s", "answered"),
        ABANDON_ASA,
        ("answer_wait_s", "answered"),
    ),
    Indicator(
        "abandon_rate",
        "呼损率",
        "Abandonment rate",
        SERVICE,
        "%",
        "(abandoned − short-abandoned) ÷ offered × 100; short = hung up before the queue's short-abandon "
        "threshold (default kpi.short_abandon_seconds)",
        "contacts",
        DOWN,
        lambda m: ratio(m.get("abandoned", 0) - m.get("short_abandoned", 0), _offered(m)),
        ABANDON_RATE,
        ("abandoned", "short_abandoned", "answered"),
    ),
    Indicator(
        "short_abandon_share",
        "短时放弃占比",
        "Short abandons among abandons",
        SERVICE,
        "%",
        "short-abandoned ÷ abandoned × 100",
        "contacts",
        DOWN,
        _rate("short_abandoned", "abandoned"),
        ABANDON_SHORT,
        ("short_abandoned", "abandoned"),
    ),
    Indicator(
        "ivr_self_service",
        "自助服务完成率",
        "IVR self-service completion",
        SERVICE,
        "%",
        "IVR sessions ended in self-service without a transfer to an agent ÷ finished IVR sessions × 100",
        "ivr",
        UP,
        _rate("ivr_self_served", "ivr_sessions"),
        "A caller who hangs up in the IVR without asking for an agent counts as served by self-service.",
        ("ivr_self_served", "ivr_sessions"),
    ),
    # --- Efficiency -------------------------------------------------------------------------------
    Indicator(
        "aht",
        "平均处理时长",
        "Average handle time",
        EFFICIENCY,
        "s",
        "(talk + hold + wrap-up) ÷ handled contacts",
        "contacts",
        DOWN,
        _handle_time,
        ABANDON_HANDLED,
        ("talk_s", "hold_s", "wrap_s", "handled"),
    ),
    Indicator(
        "att",
        "平均通话时长",
        "Average talk time",
        EFFICIENCY,
        "s",
        "talk (answer → end, less hold) ÷ handled",
        "contacts",
        DOWN,
        _avg("talk_s", "handled"),
        ABANDON_HANDLED,
        ("talk_s", "handled"),
    ),
    Indicator(
        "acw",
        "平均话后处理时长",
        "Average wrap-up time",
        EFFICIENCY,
        "s",
        "wrap-up (end → wrap-up ended) ÷ handled",
        "contacts",
        DOWN,
        _avg("wrap_s", "handled"),
        ABANDON_HANDLED,
        ("wrap_s", "handled"),
    ),
    Indicator(
        "occupancy",
        "座席占用率",
        "Occupancy",
        EFFICIENCY,
        "%",
        "time ringing, talking, holding or in wrap-up ÷ (that time + ready time) × 100",
        "agent_states",
        TARGET,
        _occupancy,
        measures=("busy_s", "ready_s"),
    ),
    Indicator(
        "utilisation",
        "座席利用率",
        "Utilisation",
        EFFICIENCY,
        "%",
        "busy time ÷ logged-in time (ready + busy + not ready) × 100",
        "agent_states",
        UP,
        _utilisation,
        measures=("busy_s", "ready_s", "not_ready_s"),
    ),
    Indicator(
        "transfer_rate",
        "转接率",
        "Transfer rate",
        EFFICIENCY,
        "%",
        "answered contacts transferred ÷ answered × 100",
        "contacts",
        DOWN,
        _rate("transferred", "answered"),
        ABANDON_ASA,
        ("transferred", "answered"),
    ),
    Indicator(
        "wo_on_time",
        "工单及时率",
        "Work orders closed on time",
        EFFICIENCY,
        "%",
        "orders closed in the period that were never overdue ÷ orders closed in the period × 100",
        "orders",
        UP,
        _on_time,
        measures=("orders_closed", "orders_closed_late"),
    ),
    Indicator(
        "wo_overdue",
        "工单超时量",
        "Work orders gone overdue",
        EFFICIENCY,
        "count",
        "orders that passed a deadline in the period (marked overdue by the deadline sweep)",
        "orders",
        DOWN,
        lambda m: m.get("orders_overdue", 0),
        measures=("orders_overdue",),
    ),
    Indicator(
        "wo_created",
        "工单量",
        "Work orders created",
        EFFICIENCY,
        "count",
        "orders created in the period",
        "orders",
        TARGET,
        lambda m: m.get("orders_created", 0),
        measures=("orders_created",),
    ),
    # --- Quality ----------------------------------------------------------------------------------
    Indicator(
        "fcr",
        "一次解决率",
        "First-contact resolution",
        QUALITY,
        "%",
        "handled inbound contacts from which no work order was created ÷ handled inbound contacts × 100",
        "contacts",
        UP,
        _rate("resolved_first", "handled"),
        ABANDON_HANDLED,
        ("resolved_first", "handled"),
        extra_sources=("orders",),
    ),
    Indicator(
        "complaint_rate",
        "万户投诉率",
        "Complaints per 10,000 subscribers",
        QUALITY,
        "per 10k",
        "complaints created in the period ÷ active subscribers × 10,000",
        "orders",
        DOWN,
        _rate("complaints", "subscribers", 10_000),
        measures=("complaints", "subscribers"),
        extra_sources=("subscribers",),
    ),
    Indicator(
        "repeat_complaint_rate",
        "重复投诉率",
        "Repeat-complaint rate",
        QUALITY,
        "%",
        "complaints from a customer (or number) who complained in the previous kpi.repeat_days days ÷ "
        "complaints × 100",
        "orders",
        DOWN,
        _rate("repeat_complaints", "complaints"),
        measures=("repeat_complaints", "complaints"),
    ),
    Indicator(
        "appeal_rate",
        "申诉率",
        "Appeal rate",
        QUALITY,
        "%",
        "appeals created ÷ complaints created × 100",
        "orders",
        DOWN,
        _rate("appeals", "complaints"),
        measures=("appeals", "complaints"),
    ),
    Indicator(
        "satisfaction",
        "满意率",
        "Satisfaction rate",
        QUALITY,
        "%",
        "answers rated satisfied or very satisfied ÷ answers rated × 100 (five levels; work-order replies and "
        "survey answers, as docs/surveys.md defines it)",
        "order_replies",
        UP,
        _rate("replies_satisfied", "replies_rated"),
        measures=("replies_satisfied", "replies_rated"),
    ),
    Indicator(
        "qa_score",
        "质检平均分",
        "Average QA score",
        QUALITY,
        "score",
        "sum of QA scores ÷ contacts scored (kefu.quality)",
        "quality",
        UP,
        _avg("qa_score_sum", "qa_scored"),
        measures=("qa_score_sum", "qa_scored"),
    ),
    # --- Marketing --------------------------------------------------------------------------------
    Indicator(
        "outbound_attempts",
        "外呼量",
        "Outbound attempts",
        MARKETING,
        "count",
        "campaign calls placed",
        "campaigns",
        UP,
        lambda m: m.get("outbound_attempts", 0),
        measures=("outbound_attempts",),
    ),
    Indicator(
        "outbound_reach",
        "外呼接通率",
        "Outbound reach rate",
        MARKETING,
        "%",
        "campaign calls answered by the customer ÷ campaign calls placed × 100",
        "campaigns",
        UP,
        _rate("outbound_reached", "outbound_attempts"),
        measures=("outbound_reached", "outbound_attempts"),
    ),
    Indicator(
        "conversion",
        "营销成功率",
        "Conversion rate",
        MARKETING,
        "%",
        "calls with the outcome success ÷ calls answered × 100",
        "campaigns",
        UP,
        _rate("outbound_success", "outbound_reached"),
        measures=("outbound_success", "outbound_reached"),
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
#: The figures the home page and the wallboard show first.
HEADLINE = ("answer_rate", "service_level", "asa", "abandon_rate", "aht", "occupancy", "fcr", "satisfaction")


def evaluate(m: Measures, codes: tuple[str, ...] | None = None) -> dict[str, float | None]:
    """Every (or the named) indicator's value over summed measures."""
    return {code: BY_CODE[code].value(m) for code in (codes or tuple(BY_CODE))}
