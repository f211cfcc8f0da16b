from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Internal messages")

ENTRIES: list[NavEntry] = [
    NavEntry(SECTION, _("Inbox"), "messaging:inbox", None, order=5),
    NavEntry(SECTION, _("Sent messages"), "messaging:sent", "messaging.message.send", order=6),
    NavEntry(SECTION, _("New message"), "messaging:compose", "messaging.message.send", order=7),
]
