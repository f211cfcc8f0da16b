from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Contact center")

ENTRIES = [
    NavEntry(SECTION, _("Written and walk-in contacts"), "intake:contacts", "intake.email.view", order=44),
    NavEntry(SECTION, _("Register a letter or visit"), "intake:register", "intake.register.create", order=44),
    NavEntry(SECTION, _("Hotline mailboxes"), "intake:mailboxes", "intake.mailbox.view", order=46),
]
