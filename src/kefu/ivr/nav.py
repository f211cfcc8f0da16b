from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

ENTRIES = [
    NavEntry(_("Contact center"), _("IVR flows"), "ivr:flows", "ivr.flow.view", order=45),
]
