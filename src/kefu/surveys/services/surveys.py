"""Writes of surveys: put one to a customer, record answers (the one write path of every door).

The web questionnaire, the IVR's digits, an outbound call's wrap-up and a third party's file all answer
through ``survey_answer``: the script's branching decides which answers count, the satisfaction level is
taken from them, and the audit says who recorded them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed
from kefu.params.selectors import param_get

from .. import script as pure
from ..models import ScriptVersion, Survey, SurveyChannel, SurveyState, VersionState
from ..signing import link_sign, link_token


@dataclass(frozen=True)
class SurveyData:
    """Who is asked and about which service; the dimensions the statistics group by."""

    channel: str
    org_id: int
    number: str = ""
    customer_id: int | None = None
    queue: str = ""
    team_id: int | None = None
    agent_id: int | None = None
    order_kind: str = ""
    subject: str = ""


def parsed(version: ScriptVersion) -> pure.Script:
    return pure.parse(version.definition)


@transaction.atomic
def survey_create(*, actor, version: ScriptVersion, data: SurveyData) -> Survey:
    """Put the published ``version`` to one customer; the survey waits for its answers."""
    if version.state != VersionState.PUBLISHED:
        raise ValidationFailed(_("Only a published version can be put to customers."), code="not_published")
    if not version.script.active:
        raise ValidationFailed(_("The survey script is inactive."), code="script_inactive")
    if data.channel not in SurveyChannel.values:
        raise ValidationFailed(_("Unknown survey channel."), code="invalid_channel")
    survey = Survey.objects.create(
        version=version,
        org_id=data.org_id,
        channel=data.channel,
        number=(data.number or "").strip()[:32],
        customer_id=data.customer_id,
        queue=data.queue[:32],
        team_id=data.team_id,
        agent_id=data.agent_id,
        order_kind=data.order_kind[:16],
        subject=data.subject[:64],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_create(actor=actor, obj=survey, fields=("version", "channel", "number", "org"))
    return survey


def survey_link(survey: Survey) -> str:
    """The path of the survey's web questionnaire (signed; see ``signing``)."""
    from django.urls import reverse

    return reverse("surveys:answer", args=[link_sign(survey.token)])


def survey_by_link(signed: str) -> Survey | None:
    token = link_token(signed, max_age_days=int(param_get("surveys.link_days")))
    return Survey.objects.select_related("version").filter(token=token).first() if token else None


@transaction.atomic
def survey_answer(
    *, actor, survey: Survey, answers: dict[str, Any], replace: bool = False, at: datetime | None = None
) -> Survey:
    """Record ``answers`` (raw values by question id), added to those given before unless ``replace``.

    Only answers on the path the script takes count; an invalid one is a ``ValidationFailed`` naming the
    question. The survey is complete when the path reaches the end.
    """
    survey = Survey.objects.select_for_update().select_related("version").get(pk=survey.pk)
    if survey.state == SurveyState.COMPLETE:
        raise Conflict(_("This survey has already been answered."), code="survey_complete")
    script = parsed(survey.version)
    merged = dict(answers) if replace else {**survey.answers, **answers}
    try:
        taken, pending = pure.walk(script, merged)
    except pure.AnswerError as exc:
        qid = str(exc).split(":", 1)[0]
        raise ValidationFailed(str(exc), code="invalid_answer", details={"question": qid}) from None
    before = survey.state
    survey.answers = taken
    survey.satisfaction = pure.satisfaction_of(script, taken)
    survey.state = (
        SurveyState.COMPLETE if pending is None else (SurveyState.PARTIAL if taken else SurveyState.PENDING)
    )
    if taken:
        survey.answered_at = at or clock.now()
    survey.save(update_fields=["answers", "satisfaction", "state", "answered_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survey,
        changes={"state": [before, survey.state], "satisfaction": [None, survey.satisfaction]},
        note="answered",
    )
    return survey


def survey_next_question(survey: Survey) -> pure.Question | None:
    """The question the survey still waits for (``None`` when complete)."""
    return pure.walk(parsed(survey.version), survey.answers)[1]
