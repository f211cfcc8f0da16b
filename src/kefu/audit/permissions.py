from django.utils.translation import gettext_lazy as _

NODES = [
    ("audit", _("Audit log")),
    ("audit.log", _("Change and query log")),
    ("audit.log.view", _("Search the audit log")),
]
