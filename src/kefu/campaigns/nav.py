from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

ENTRIES = [
    NavEntry(_("Contact center"), _("Outbound campaigns"), "campaigns:list", "campaigns.campaign.view", order=45),
    NavEntry(_("Contact center"), _("Do-not-call list"), "campaigns:dnc", "campaigns.dnc.view", order=46),
]
