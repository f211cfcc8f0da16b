from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Administration")

ENTRIES = [
    NavEntry(SECTION, _("Audit log"), "audit:search", "audit.log.view", order=80),
]
