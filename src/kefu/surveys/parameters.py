from django.utils.translation import gettext_lazy as _

from kefu.params.registry import INTEGER, TEXT, Param

GROUPS = {"surveys": _("Satisfaction surveys")}

PARAMETERS = [
    Param(
        "surveys.link_days",
        INTEGER,
        7,
        _("Survey link valid for (days)"),
        _("A web questionnaire link sent to a customer can be answered for this many days."),
        group="surveys",
        min_value=1,
        max_value=90,
    ),
    Param(
        "surveys.link_base",
        TEXT,
        "http://localhost:8000",
        _("Address of the questionnaire pages"),
        _("Scheme and host customers open survey links at, e.g. https://kf.example.com (no trailing /)."),
        group="surveys",
        max_length=200,
    ),
]
