from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Contact center")

ENTRIES = [
    NavEntry(SECTION, _("Publishing requests"), "notices:requests", "notices.request.view", order=55),
    NavEntry(SECTION, _("Notice subscriptions"), "notices:subscriptions", "notices.subscription.view", order=56),
    NavEntry(SECTION, _("External systems"), "notices:systems", "notices.system.view", order=57),
]
