"""Reads of campaigns: lists and lookups scoped by organisation, targets, imports, the dashboard's figures
and the results export. Out of scope answers as not found."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from kefu.audit.reads import audit_read, audited
from kefu.core.errors import NotFound
from kefu.orgs.selectors import scope_queryset

from . import rules
from .models import Attempt, Campaign, DoNotCall, Outcome, Target, TargetImport, TargetState

TARGET_TYPE = "campaigns.target"


def campaign_list(*, actor, state: str = "", kind: str = "") -> QuerySet[Campaign]:
    qs = scope_queryset(Campaign.objects.select_related("queue", "org"), actor, field="org")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


def campaign_get(*, actor, campaign_id) -> Campaign:
    """One campaign of the actor's organisations; ``NotFound`` otherwise."""
    try:
        return campaign_list(actor=actor).get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Campaign not found."), code="campaign_not_found") from None


def campaign_counts(campaign: Campaign) -> dict:
    """Targets by state, attempts made, reached and successful targets, and the rates."""
    # Uses target_due_idx (campaign, state, …).
    by_state = dict(Target.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("pk")))
    total = sum(by_state.values())
    by_outcome = dict(Target.objects.filter(campaign=campaign).exclude(outcome="").values_list("outcome")
                      .annotate(n=Count("pk")))
    callable_total = total - by_state.get(TargetState.EXCLUDED, 0)
    finished = by_state.get(TargetState.DONE, 0)
    reached = sum(by_outcome.get(o, 0) for o in rules.REACHED)
    attempted = Target.objects.filter(campaign=campaign, attempts__gt=0).count()
    return {
        "total": total, "callable": callable_total, "by_state": {s: by_state.get(s, 0) for s in TargetState.values},
        "by_outcome": {o: by_outcome.get(o, 0) for o in Outcome.values},
        "done": finished, "attempted": attempted, "reached": reached, "success": by_outcome.get(Outcome.SUCCESS, 0),
        "progress": rules.rate(finished + by_state.get(TargetState.CANCELLED, 0), callable_total) or 0.0,
        "reach_rate": rules.rate(reached, attempted), "success_rate": rules.rate(by_outcome.get(Outcome.SUCCESS, 0),
                                                                                 reached),
    }


def _rates(rows) -> list[dict]:
    out = []
    for key, label, attempts, reached, success in rows:
        out.append({"key": key, "label": label, "attempts": attempts, "reached": reached, "success": success,
                    "reach_rate": rules.rate(reached, attempts), "success_rate": rules.rate(success, reached)})
    return out


def campaign_dashboard(*, actor, campaign: Campaign) -> dict:
    """Progress, reach and success, by agent and by day (attempts with an outcome)."""
    counts = campaign_counts(campaign)
    ended = Attempt.objects.filter(campaign=campaign).exclude(outcome="")
    reached_q = Q(outcome__in=rules.REACHED)
    success_q = Q(outcome="success")
    # Uses attempt_campaign_idx (campaign, ended_at).
    per_agent = (ended.filter(agent__isnull=False).values("agent_id", "agent__name", "agent__employee_no")
                 .annotate(n=Count("pk"), r=Count("pk", filter=reached_q), s=Count("pk", filter=success_q))
                 .order_by("agent__employee_no"))
    per_day = (ended.annotate(day=TruncDate("ended_at")).values("day")
               .annotate(n=Count("pk"), r=Count("pk", filter=reached_q), s=Count("pk", filter=success_q))
               .order_by("day"))
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in per_day:
        d = days[row["day"]]
        d[0] += row["n"]
        d[1] += row["r"]
        d[2] += row["s"]
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name, "state": campaign.state,
                     "state_label": campaign.get_state_display()},
        **counts,
        "by_outcome_labels": {o: str(label) for o, label in Outcome.choices},
        "by_agent": _rates([(r["agent_id"], f"{r['agent__name']} ({r['agent__employee_no']})", r["n"], r["r"], r["s"])
                            for r in per_agent]),
        "by_day": _rates([(d.isoformat(), d.isoformat(), *v) for d, v in sorted(days.items())]),
    }


def target_list(*, actor, campaign: Campaign, state: str = "", outcome: str = "", number: str = "",
                audit: bool = True) -> QuerySet[Target]:
    """A campaign's targets (customer data: the list read is logged, with the customers on the page)."""
    qs = Target.objects.filter(campaign=campaign).select_related("customer", "agent")
    conditions: dict = {"campaign": campaign.pk}
    if state:
        qs, conditions["state"] = qs.filter(state=state), state
    if outcome:
        qs, conditions["outcome"] = qs.filter(outcome=outcome), outcome
    if number:
        qs, conditions["number"] = qs.filter(number__startswith=number.strip()), number
    qs = qs.order_by("pk")
    if not audit:
        return qs
    audit_read(actor=actor, object_type=TARGET_TYPE, conditions=conditions, result_count=qs.count())
    return audited(qs, actor=actor, object_type=TARGET_TYPE, label=lambda t: f"target {t.pk}",
                   customer_attr="customer_id")


def target_get(*, actor, campaign: Campaign, target_id) -> Target:
    try:
        target = Target.objects.select_related("customer", "agent").get(campaign=campaign, pk=int(target_id))
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Target not found."), code="target_not_found") from None
    audit_read(actor=actor, object_type=TARGET_TYPE, items=[(target.pk, f"target {target.pk}")],
               customers=[target.customer_id] if target.customer_id else [])
    return target


def target_attempts(target: Target) -> QuerySet[Attempt]:
    return target.attempt_rows.select_related("agent").order_by("seq", "pk")


def import_get(*, actor, import_id) -> TargetImport:
    """An import of a campaign the actor may see."""
    scoped = TargetImport.objects.filter(campaign__in=campaign_list(actor=actor).values("pk"))
    try:
        return scoped.select_related("campaign").get(pk=int(import_id))
    except (TargetImport.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Import not found."), code="import_not_found") from None


def import_list(*, campaign: Campaign, limit: int = 10) -> list[TargetImport]:
    return list(campaign.imports.order_by("-created_at", "-pk")[:limit])


def results_rows(*, actor, campaign: Campaign):
    """The results export, one row per target (logged as a read of the campaign's customers)."""
    qs = Target.objects.filter(campaign=campaign).select_related("customer", "agent").order_by("pk")
    audit_read(actor=actor, object_type=TARGET_TYPE, conditions={"campaign": campaign.pk, "export": "csv"},
               result_count=qs.count())
    labels = dict(Outcome.choices)
    states = dict(TargetState.choices)
    for t in qs.iterator(chunk_size=2000):
        customer, agent = t.customer, t.agent
        yield [t.number, t.name, customer.name if customer is not None else "", str(states.get(t.state, t.state)),
               str(labels.get(t.outcome, t.outcome)) if t.outcome else "", t.attempts,
               f"{agent.name} ({agent.employee_no})" if agent is not None else "",
               t.done_at.isoformat() if t.done_at else "", t.excluded_reason, t.notes]


def dnc_list(*, search: str = "") -> QuerySet[DoNotCall]:
    qs = DoNotCall.objects.select_related("created_by")
    if search:
        qs = qs.filter(number__startswith=search.strip())
    return qs.order_by("-created_at", "-pk")


def queue_choices(*, actor) -> list[tuple[int, str]]:
    from kefu.contactcenter.selectors import queue_list

    return [(q.pk, f"{q.name} ({q.code})") for q in queue_list(actor=actor, active=True)]


def attempt_facts(*, since, until) -> list[tuple]:
    """Campaign calls started in [since, until): ``(started_at, org_id, agent_id, answered, outcome)``."""
    # Uses the started_at range (a window is minutes to hours of calls).
    return [(at, org, agent, answered is not None, outcome) for at, org, agent, answered, outcome in
            Attempt.objects.filter(started_at__gte=since, started_at__lt=until).order_by()
            .values_list("started_at", "campaign__org_id", "agent_id", "answered_at", "outcome")]
