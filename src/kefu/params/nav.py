from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Administration")

ENTRIES = [
    NavEntry(SECTION, _("System parameters"), "params:list", "params.param.view", order=90),
]
