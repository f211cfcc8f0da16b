from django.utils.translation import gettext_lazy as _

NODES = [
    ("billing", _("Bills and points")),
    ("billing.bill", _("Bills")),
    ("billing.bill.view", _("View bills, fees, balance and arrears")),
    ("billing.payment", _("Payments")),
    ("billing.payment.view", _("View payment history")),
    ("billing.points", _("Points")),
    ("billing.points.view", _("View points")),
]
