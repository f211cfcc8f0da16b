"""SMS surveys: the customer answers the satisfaction question by replying one digit to the survey's SMS.

The outlets hand inbound texts to the apps' registered keyword handlers (``outlets.services.keywords``);
``survey_sms_reply`` takes a lone digit 1–5 from a number with an SMS survey still waiting (sent within the
link's validity) and records it as the script's satisfaction answer (1 very satisfied … 5 very dissatisfied,
as on the telephone). Any other text is not ours and goes on to become a contact.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import KefuError
from kefu.params.selectors import param_get

from .. import keys
from .. import script as pure
from ..models import Survey, SurveyChannel, SurveyState
from .surveys import survey_answer


def survey_sms_reply(*, sender: str, text: str, customer_id: int | None) -> str | None:
    digits = (text or "").strip()
    if len(digits) != 1 or digits not in "12345":
        return None
    since = clock.now() - timedelta(days=int(param_get("surveys.link_days")))
    survey = (
        Survey.objects.select_related("version")  # surveys_number_created
        .filter(
            number=sender,
            channel=SurveyChannel.SMS,
            created_at__gte=since,
            state__in=(SurveyState.PENDING, SurveyState.PARTIAL),
            satisfaction__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )
    if survey is None:
        return None
    script = pure.parse(survey.version.definition)
    question = script.question(script.satisfaction) if script.satisfaction else None
    if question is None:
        return None
    try:
        survey_answer(
            actor=f"sms {sender}", survey=survey, answers={question.id: keys.answer_of(question, digits)}
        )
    except KefuError:
        return None  # the digit does not fit where the survey stands: not an answer after all
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Thank you for your rating."))
