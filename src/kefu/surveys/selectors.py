"""Reads of survey scripts and surveys, scoped by their organisation (another branch's answer like ones that
do not exist)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import NotFound
from kefu.orgs.selectors import scope_queryset

from .models import ScriptVersion, Survey, SurveyScript, VersionState


def _id(value) -> int | None:
    try:
        v = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return v if 0 < v < 2**63 else None


def script_list(*, actor, active: bool | None = None) -> QuerySet[SurveyScript]:
    qs = scope_queryset(SurveyScript.objects.select_related("org"), actor)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("code")


def script_get(*, actor, script_id) -> SurveyScript:
    pk = _id(script_id)
    script = script_list(actor=actor).filter(pk=pk).first() if pk else None
    if script is None:
        raise NotFound(_("Survey script not found."), code="script_not_found")
    return script


def script_versions(script: SurveyScript) -> QuerySet[ScriptVersion]:
    return script.versions.select_related("created_by").order_by("-number")


def script_draft(script: SurveyScript) -> ScriptVersion | None:
    return script.versions.filter(state=VersionState.DRAFT).first()


def script_published(script: SurveyScript) -> ScriptVersion | None:
    """The newest published version: what new surveys ask."""
    return script.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()


def version_get(*, script: SurveyScript, number) -> ScriptVersion:
    n = _id(number)
    version = script.versions.filter(number=n).first() if n else None
    if version is None:
        raise NotFound(_("Script version not found."), code="version_not_found")
    return version


@dataclass(frozen=True)
class SurveyFilters:
    script_id: int | None = None
    state: str = ""
    channel: str = ""
    number: str = ""


def survey_list(*, actor, filters: SurveyFilters = SurveyFilters()) -> QuerySet[Survey]:
    qs = scope_queryset(Survey.objects.select_related("version__script", "org", "agent"), actor)
    if filters.script_id:
        qs = qs.filter(version__script_id=filters.script_id)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.number:
        qs = qs.filter(number=filters.number.strip())  # surveys_number_created
    return qs.order_by("-created_at", "-id")


def survey_get(*, actor, survey_id) -> Survey:
    pk = _id(survey_id)
    survey = survey_list(actor=actor).filter(pk=pk).first() if pk else None
    if survey is None:
        raise NotFound(_("Survey not found."), code="survey_not_found")
    return survey


def surveys_of_version(*, actor, version: ScriptVersion) -> QuerySet[Survey]:
    return survey_list(actor=actor).filter(version=version).order_by("id")


def rule_list(*, actor):
    from .models import SamplingRule

    return scope_queryset(SamplingRule.objects.select_related("script", "org"), actor).order_by("name", "id")


def rule_get(*, actor, rule_id):
    pk = _id(rule_id)
    rule = rule_list(actor=actor).filter(pk=pk).first() if pk else None
    if rule is None:
        raise NotFound(_("Sampling rule not found."), code="rule_not_found")
    return rule


def rule_draws(rule, *, limit: int = 30):
    return list(rule.draws.order_by("-day")[:limit])


def survey_answer_facts(*, since, until) -> list[tuple]:
    """Surveys answered with a satisfaction level in [since, until), for the interval figures (kefu.kpi):
    ``(answered_at, org_id, channel, queue code, team_id, agent_id, level)``; not a person's read."""
    # Uses surveys_answered (answered_at).
    return list(Survey.objects.filter(answered_at__gte=since, answered_at__lt=until, satisfaction__isnull=False)
                .order_by().values_list("answered_at", "org_id", "channel", "queue", "team_id", "agent_id",
                                        "satisfaction"))
