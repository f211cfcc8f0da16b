from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Contact center")

ENTRIES = [
    NavEntry(SECTION, _("Indicator reports"), "kpi:report", "kpi.report.view", order=45),
    NavEntry(SECTION, _("Wallboard"), "kpi:wallboard", "kpi.wallboard.view", order=46),
]
