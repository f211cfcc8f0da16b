from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Quality inspection")

ENTRIES: list[NavEntry] = [
    NavEntry(SECTION, _("My quality"), "quality:mine", "quality.own", order=60),
    NavEntry(SECTION, _("Inspections"), "quality:inspections", "quality.inspection.view", order=61),
    NavEntry(SECTION, _("Scoring forms"), "quality:forms", "quality.form.view", order=62),
    NavEntry(SECTION, _("Improvement actions"), "quality:improvements", "quality.inspection.view", order=63),
    NavEntry(SECTION, _("Quality reports"), "quality:report", "quality.report.view", order=64),
    NavEntry(SECTION, _("Quality overview"), "quality:overview", "quality.report.view", order=65),
]
