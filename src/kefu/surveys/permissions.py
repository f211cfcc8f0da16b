from django.utils.translation import gettext_lazy as _

NODES = [
    ("surveys", _("Satisfaction surveys")),
    ("surveys.script", _("Survey scripts")),
    ("surveys.script.view", _("View survey scripts and their versions")),
    ("surveys.script.edit", _("Write survey scripts and publish their versions")),
    ("surveys.script.export", _("Hand survey scripts and samples to third parties")),
    ("surveys.survey", _("Surveys")),
    ("surveys.survey.view", _("View surveys and their answers")),
    ("surveys.survey.send", _("Send surveys to customers")),
    ("surveys.survey.import", _("Import survey results from third parties")),
    ("surveys.stats", _("Satisfaction statistics")),
    ("surveys.stats.view", _("View satisfaction statistics")),
]
