from django.utils.translation import gettext_lazy as _

NODES = [
    ("notices", _("Information publishing")),
    ("notices.request", _("Publishing requests")),
    ("notices.request.view", _("View publishing requests and their results")),
    ("notices.request.retry", _("Retry callbacks to external systems")),
    ("notices.system", _("External systems")),
    ("notices.system.view", _("View external systems")),
    ("notices.system.edit", _("Register external systems and issue their keys")),
    ("notices.subscription", _("Notice subscriptions")),
    ("notices.subscription.view", _("View customers' notice subscriptions")),
    ("notices.subscription.edit", _("Change customers' notice subscriptions")),
]
