from django.utils.translation import gettext_lazy as _

NODES = [
    ("kpi", _("Operations indicators")),
    ("kpi.report", _("Historical reports")),
    ("kpi.report.view", _("View indicator reports and drill down to the records")),
    ("kpi.report.export", _("Export indicator reports (CSV, XLSX)")),
    ("kpi.wallboard", _("Wallboard")),
    ("kpi.wallboard.view", _("View the live wallboard")),
]
