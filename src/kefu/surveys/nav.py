from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Service quality")

ENTRIES = [
    NavEntry(SECTION, _("Survey scripts"), "surveys:scripts", "surveys.script.view", order=70),
    NavEntry(SECTION, _("Surveys"), "surveys:surveys", "surveys.survey.view", order=71),
    NavEntry(SECTION, _("Sampling rules"), "surveys:rules", "surveys.script.view", order=72),
    NavEntry(SECTION, _("Satisfaction"), "surveys:stats", "surveys.stats.view", order=73),
]
