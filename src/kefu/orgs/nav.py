from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Administration")

ENTRIES = [
    NavEntry(SECTION, _("Organisations"), "orgs:tree", "orgs.org.view", order=10),
]
