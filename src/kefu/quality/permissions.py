"""Quality inspection (质检) permissions.

Inspectors keep the forms, pick contacts and score them and set improvement actions; supervisors decide
disputes; an agent sees and disputes their own results only (``quality.own``). Everything but one's own
results stops at the holder's organisation scope.
"""

from django.utils.translation import gettext_lazy as _

NODES = [
    ("quality", _("Quality inspection")),
    ("quality.form", _("Scoring forms")),
    ("quality.form.view", _("View scoring forms")),
    ("quality.form.edit", _("Create scoring forms and publish their versions")),
    ("quality.inspection", _("Inspections")),
    ("quality.inspection.view", _("View inspections of the organisation")),
    ("quality.inspection.score", _("Pick contacts and score them")),
    ("quality.dispute", _("Disputes")),
    ("quality.dispute.decide", _("Decide agents' disputes")),
    ("quality.improvement", _("Improvement actions")),
    ("quality.improvement.manage", _("Assign improvement actions")),
    ("quality.report", _("Quality reports")),
    ("quality.report.view", _("View quality reports and the quality overview")),
    ("quality.own", _("See and dispute my own quality results")),
]

FORM_VIEW, FORM_EDIT = "quality.form.view", "quality.form.edit"
VIEW, SCORE = "quality.inspection.view", "quality.inspection.score"
DECIDE = "quality.dispute.decide"
IMPROVE = "quality.improvement.manage"
REPORT = "quality.report.view"
OWN = "quality.own"
