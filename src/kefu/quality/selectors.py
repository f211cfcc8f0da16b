"""Reads of quality inspection: forms, inspections, improvement actions, each limited to the reader.

Forms are visible in the organisation that owns them, its subtree and the branches below it (a province's
form serves its cities). Inspections and improvement actions belong to the agent's organisation and are
listed with ``scope_queryset``; an agent reading their own results goes through the ``own_*`` reads, which
see nothing but that agent's. A record outside the reader's reach is answered like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import NotFound
from kefu.orgs.selectors import scope_queryset

from .models import FormVersion, Improvement, ImprovementState, Inspection, InspectionState, ScoreForm


def _int(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return n if 0 < n < 2**62 else None


def _ancestor_ids(actor) -> list[int]:
    org = getattr(actor, "org", None)
    if org is None:
        return []
    return [int(p) for p in org.path.strip("/").split("/") if p.isdigit()]


def form_list(*, actor, active: bool | None = None) -> QuerySet[ScoreForm]:
    """Forms of the actor's organisation subtree and of the organisations above it."""
    qs = scope_queryset(ScoreForm.objects.all(), actor) | ScoreForm.objects.filter(
        org_id__in=_ancestor_ids(actor)
    )
    if active is not None:
        qs = qs.filter(active=active)
    return qs.select_related("org").order_by("name", "id")


def form_get(*, actor, form_id) -> ScoreForm:
    form = form_list(actor=actor).filter(pk=_int(form_id) or 0).first()
    if form is None:
        raise NotFound(_("Scoring form not found."), code="form_not_found")
    return form


def form_owned(*, actor, form_id) -> ScoreForm:
    """A form the actor may change: one of their own subtree (not a form handed down from above)."""
    form = scope_queryset(ScoreForm.objects.all(), actor).filter(pk=_int(form_id) or 0).first()
    if form is None:
        raise NotFound(_("Scoring form not found."), code="form_not_found")
    return form


def form_current(form: ScoreForm) -> FormVersion | None:
    return form.versions.filter(number=form.current_version).first()  # quality_form_version_unique


def form_versions(form: ScoreForm) -> QuerySet[FormVersion]:
    return form.versions.order_by("-number")


def form_for(*, actor, queue_code: str = "", order_kind: str = "") -> ScoreForm | None:
    """The active form that fits a contact: its queue's, else its work-order kind's, else a general one."""
    forms = list(form_list(actor=actor, active=True).filter(current_version__gt=0))
    for test in (
        lambda f: queue_code and f.queue_code == queue_code,
        lambda f: order_kind and f.order_kind == order_kind and not f.queue_code,
        lambda f: not f.queue_code and not f.order_kind,
    ):
        for f in forms:
            if test(f):
                return f
    return None


@dataclass(frozen=True)
class InspectionFilters:
    state: str = ""
    source: str = ""
    agent: str = ""  # employee number
    since: datetime | None = None
    until: datetime | None = None


def _inspections() -> QuerySet[Inspection]:
    return Inspection.objects.select_related(
        "agent", "org", "team", "inspector", "form_version", "form_version__form"
    )


def inspection_list(*, actor, filters: InspectionFilters = InspectionFilters()) -> QuerySet[Inspection]:
    """Inspections of agents in the actor's scope, newest first (``since``/``until`` on the contact time)."""
    qs = scope_queryset(_inspections(), actor)
    f = filters
    if f.state:
        qs = qs.filter(state=f.state)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.agent:
        qs = qs.filter(agent__employee_no=f.agent.strip())
    if f.since:
        qs = qs.filter(contact_at__gte=f.since)
    if f.until:
        qs = qs.filter(contact_at__lt=f.until)
    return qs.order_by("-created_at", "-id")


def inspection_get(*, actor, inspection_id) -> Inspection:
    found = scope_queryset(_inspections(), actor).filter(pk=_int(inspection_id) or 0).first()
    if found is None:
        raise NotFound(_("Inspection not found."), code="inspection_not_found")
    return found


def inspected_contact_ids(contact_ids) -> set[int]:
    return set(
        Inspection.objects.filter(contact_id__in=list(contact_ids)).values_list("contact_id", flat=True)
    )


def own_inspection_list(*, actor) -> QuerySet[Inspection]:
    """The actor's own scored results, newest first (one still to be scored is not shown to the agent)."""
    return (
        _inspections()
        .filter(agent=actor)
        .exclude(state=InspectionState.PENDING)  # quality_agent_scored_idx
        .order_by("-scored_at", "-id")
    )


def own_inspection_get(*, actor, inspection_id) -> Inspection:
    found = own_inspection_list(actor=actor).filter(pk=_int(inspection_id) or 0).first()
    if found is None:
        raise NotFound(_("Inspection not found."), code="inspection_not_found")
    return found


def disputes_open(*, actor) -> QuerySet[Inspection]:
    return inspection_list(actor=actor, filters=InspectionFilters(state=InspectionState.DISPUTED))


def improvement_list(*, actor, state: str = "") -> QuerySet[Improvement]:
    qs = scope_queryset(Improvement.objects.select_related("agent", "inspection"), actor)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "due_on", "id")


def own_improvements(*, actor, state: str = "") -> QuerySet[Improvement]:
    qs = Improvement.objects.filter(agent=actor).select_related("inspection")  # quality_improvement_agent_idx
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "due_on", "id")


def improvement_get(*, actor, improvement_id, own: bool = False) -> Improvement:
    """An action in the actor's scope, or (``own``) one assigned to the actor."""
    qs = own_improvements(actor=actor) if own else improvement_list(actor=actor)
    found = qs.filter(pk=_int(improvement_id) or 0).first()
    if found is None:
        raise NotFound(_("Improvement action not found."), code="improvement_not_found")
    return found


def improvement_open_count(*, actor) -> int:
    return Improvement.objects.filter(agent=actor, state=ImprovementState.OPEN).count()


def qa_score_summary(*, scope, start: datetime, end: datetime, group_by: str | None = None) -> list[dict]:
    """Average score, count and fatal count for other apps (the QA-score indicator); see
    ``reports.qa_score_summary``."""
    from .reports import qa_score_summary as summary

    return summary(scope=scope, start=start, end=end, group_by=group_by)


def score_facts(*, since: datetime, until: datetime) -> list[tuple]:
    """Scores given in [since, until), for the interval figures (kefu.kpi): ``(scored_at, org_id, team_id,
    agent_id, score, fatal)``, the score as it stands (a revised one after a dispute); not a person's read."""
    # Uses quality_scored_idx (scored_at).
    return list(Inspection.objects.filter(scored_at__gte=since, scored_at__lt=until, score__isnull=False)
                .order_by().values_list("scored_at", "org_id", "team_id", "agent_id", "score", "fatal"))
