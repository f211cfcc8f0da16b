"""Surveys on the telephone: the IVR's survey node (post-call survey) asks a published script with keys.

The IVR owns the call; it asks this module for the survey, the question to say and what the keys mean, and
every answer is recorded by ``survey_answer`` like any other door's.
"""

from __future__ import annotations

from kefu.crm.selectors import customer_orgs

from .. import keys
from .. import script as pure
from ..models import ScriptVersion, Survey, SurveyChannel, SurveyScript, VersionState
from .surveys import SurveyData, survey_answer, survey_create, survey_next_question

ACTOR = "ivr"


def published_version(script_code: str) -> ScriptVersion | None:
    """The version new surveys of an active script ask (``None`` if the script is unknown or unpublished)."""
    script = SurveyScript.objects.filter(code=script_code, active=True).first()
    if script is None:
        return None
    return script.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()


def call_survey_start(
    *,
    script_code: str,
    number: str,
    customer_id: int | None,
    channel: str = SurveyChannel.IVR,
    queue: str = "",
    agent_id: int | None = None,
    subject: str = "",
) -> Survey | None:
    """A survey for the caller (in the customer's organisation, else the script's); ``None`` without a
    published script of that code, so a flow naming a withdrawn script simply goes on."""
    version = published_version(script_code)
    if version is None:
        return None
    org_id = customer_orgs([customer_id]).get(customer_id) if customer_id else None
    return survey_create(
        actor=ACTOR,
        version=version,
        data=SurveyData(
            channel=channel,
            org_id=org_id or version.script.org_id,
            number=number,
            customer_id=customer_id,
            queue=queue,
            agent_id=agent_id,
            subject=subject,
        ),
    )


def call_survey_question(survey_id: int) -> tuple[Survey, pure.Question | None]:
    """The next question the caller can answer with keys; optional free-text questions are skipped, a
    required one ends the survey on the telephone (``None``)."""
    survey = Survey.objects.select_related("version").get(pk=survey_id)
    while True:
        q = survey_next_question(survey) if survey.state != "complete" else None
        if q is None or keys.spoken(q):
            return survey, q
        if q.required:
            return survey, None
        survey = survey_answer(actor=ACTOR, survey=survey, answers={q.id: None})


def call_survey_keys(*, survey_id: int, question_id: str, digits: str) -> bool:
    """Record the caller's keys as the answer to ``question_id``; ``False`` for keys that mean nothing."""
    from kefu.core.errors import KefuError

    survey = Survey.objects.select_related("version").get(pk=survey_id)
    q = pure.parse(survey.version.definition).question(question_id)
    raw = keys.answer_of(q, digits) if q is not None else None
    if raw is None:
        return False
    try:
        survey_answer(actor=ACTOR, survey=survey, answers={question_id: raw})
    except KefuError:
        return False
    return True
