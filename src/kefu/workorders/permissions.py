from django.utils.translation import gettext_lazy as _

NODES = [
    ("workorders", _("Work orders")),
    ("workorders.order", _("Orders")),
    ("workorders.order.view", _("View and query work orders")),
    ("workorders.order.create", _("Create work orders")),
    ("workorders.order.handle", _("Act on orders I, my team or my organisation hold")),
    ("workorders.order.handle_any", _("Act on any order in my scope (supervisors)")),
    ("workorders.order.urge", _("Urge orders")),
    ("workorders.order.export", _("Export query results")),
    ("workorders.supervision", _("Deadline supervision")),
    ("workorders.supervision.view", _("View warnings and overdue orders")),
    ("workorders.template", _("Process templates")),
    ("workorders.template.view", _("View process templates")),
    ("workorders.template.edit", _("Edit process templates")),
    ("workorders.coordination", _("Coordination")),
    ("workorders.coordination.view", _("View forwarding archive and deliveries")),
    ("workorders.coordination.manage", _("Manage endpoints, webhooks and calendars")),
]
