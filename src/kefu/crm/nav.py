from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Customers")

ENTRIES = [
    NavEntry(SECTION, _("Customer search"), "crm:customer_search", "crm.customer.view", order=20),
    NavEntry(SECTION, _("New customer"), "crm:customer_create", "crm.customer.edit", order=21),
]
