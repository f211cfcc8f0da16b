from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Work orders")

ENTRIES = [
    NavEntry(SECTION, _("My work"), "workorders:my_work", "workorders.order.handle", order=10),
    NavEntry(SECTION, _("New work order"), "workorders:create", "workorders.order.create", order=11),
    NavEntry(SECTION, _("Query work orders"), "workorders:query", "workorders.order.view", order=12),
    NavEntry(SECTION, _("Deadline supervision"), "workorders:supervision", "workorders.supervision.view", order=13),
    NavEntry(SECTION, _("Forwarding archive"), "workorders:forwards", "workorders.coordination.view", order=14),
    NavEntry(SECTION, _("Suggestion digests"), "workorders:digests", "workorders.order.view", order=17),
    NavEntry(SECTION, _("Process templates"), "workorders:templates", "workorders.template.view", order=15),
    NavEntry(SECTION, _("Coordination settings"), "workorders:coordination_settings",
             "workorders.coordination.manage", order=16),
]
