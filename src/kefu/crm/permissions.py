from django.utils.translation import gettext_lazy as _

NODES = [
    ("crm", _("Customers")),
    ("crm.customer", _("Customer data")),
    ("crm.customer.view", _("Search customers and open the customer 360")),
    ("crm.customer.edit", _("Create and edit customers, accounts and subscribers")),
    ("crm.customer.reveal", _("Show certificate numbers and addresses unmasked")),
    ("crm.password", _("Service passwords")),
    ("crm.password.reset", _("Unlock and reset service passwords")),
]
