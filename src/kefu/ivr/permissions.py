from django.utils.translation import gettext_lazy as _

NODES = [
    ("ivr", _("IVR self-service")),
    ("ivr.flow", _("IVR flows")),
    ("ivr.flow.view", _("View IVR flows and their versions")),
    ("ivr.flow.edit", _("Edit IVR flows and publish versions")),
    ("ivr.flow.test", _("Run test calls through an IVR flow")),
]
