from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Contact center")

ENTRIES = [
    NavEntry(SECTION, _("Chat messages to follow up"), "webchat:left_messages", "contactcenter.desk.use", order=45),
    NavEntry(SECTION, _("Chat entries"), "webchat:entries", "webchat.entry.view", order=47),
]
