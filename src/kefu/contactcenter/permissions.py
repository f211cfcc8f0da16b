from django.utils.translation import gettext_lazy as _

NODES = [
    ("contactcenter", _("Contact center")),
    ("contactcenter.desk", _("Agent desktop")),
    ("contactcenter.desk.use", _("Log in to the contact center and take contacts")),
    ("contactcenter.supervise", _("Supervision")),
    ("contactcenter.supervise.view", _("See live queues and agents")),
    ("contactcenter.supervise.force", _("Force agents not ready or logged out")),
    ("contactcenter.queue", _("Queues")),
    ("contactcenter.queue.view", _("View queues")),
    ("contactcenter.queue.edit", _("Edit queues")),
    ("contactcenter.contact", _("Contact records")),
    ("contactcenter.contact.view", _("View contact records")),
    ("contactcenter.callback", _("Callbacks")),
    ("contactcenter.callback.view", _("View callbacks and their attempts")),
    ("contactcenter.cti", _("Telephony interface")),
    ("contactcenter.cti.connect", _("Connect a switch (CTI)")),
]
