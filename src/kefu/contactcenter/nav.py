from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Contact center")

ENTRIES = [
    NavEntry(SECTION, _("Agent desktop"), "contactcenter:desk", "contactcenter.desk.use", order=40),
    NavEntry(SECTION, _("Live supervision"), "contactcenter:supervisor", "contactcenter.supervise.view", order=41),
    NavEntry(SECTION, _("Queues"), "contactcenter:queues", "contactcenter.queue.view", order=42),
    NavEntry(SECTION, _("Contact records"), "contactcenter:contacts", "contactcenter.contact.view", order=43),
    NavEntry(SECTION, _("Callbacks"), "contactcenter:callbacks", "contactcenter.callback.view", order=44),
]
