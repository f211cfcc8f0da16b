"""The customer's web questionnaire (/surveys/q/<signed token>/): no login, one question at a time.

The signed link is the customer's only key (``signing``): a forged, altered or expired link answers like
one that does not exist. Each answer goes through ``survey_answer``, so branching and validation are the
same as every other door's.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.core.access import public
from kefu.core.errors import KefuError
from kefu.core.satisfaction import Satisfaction

from .models import SurveyState
from .services.surveys import parsed, survey_answer, survey_by_link, survey_next_question

PUBLIC = "public: the customer's questionnaire, reached by its signed link"


@public(PUBLIC)
@require_http_methods(["GET", "POST"])
def questionnaire(request, signed: str):
    survey = survey_by_link(signed)
    if survey is None:
        return render(request, "surveys/public_gone.html", status=404)
    question = survey_next_question(survey) if survey.state != SurveyState.COMPLETE else None
    error = ""
    if request.method == "POST" and question is not None:
        raw = (
            request.POST.getlist("answer") if question.type == "multiple" else request.POST.get("answer", "")
        )
        if raw in ("", []) and question.required:
            error = _("Please answer this question.")
        else:
            try:
                survey_answer(
                    actor=f"customer {survey.number}".strip(),
                    survey=survey,
                    answers={question.id: raw if raw not in ("", []) else None},
                )
            except KefuError as exc:
                error = str(exc.message).split(": ", 1)[-1]
            else:
                return redirect(request.path)
    return render(
        request,
        "surveys/public_questionnaire.html",
        {
            "survey": survey,
            "script": parsed(survey.version),
            "question": question,
            "error": error,
            "step": len(survey.answers) + 1,
            "levels": Satisfaction.choices,
            "scores": range(11),
        },
        status=400 if error else 200,
    )
