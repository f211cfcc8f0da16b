from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

ENTRIES = [
    NavEntry(_("Contact center"), _("Messages to customers"), "outlets:messages", "outlets.message.view", order=50),
    NavEntry(_("Contact center"), _("Message templates"), "outlets:templates", "outlets.template.view", order=51),
    NavEntry(_("Contact center"), _("Opt-outs"), "outlets:optouts", "outlets.optout.view", order=52),
    NavEntry(_("Contact center"), _("Outlets"), "outlets:outlets", "outlets.outlet.view", order=53),
]
