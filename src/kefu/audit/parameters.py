from django.utils.translation import gettext_lazy as _

from kefu.params.registry import INTEGER, Param

#: MLPS level 3 (等保三级) asks that audit records be kept at least six months.
MIN_RETENTION_MONTHS = 6

PARAMETERS = [
    Param("audit.retention_months", INTEGER, 12, _("Audit log retention (months)"),
          _("Audit entries older than this are archived month by month to compressed files with checksums. "
            "Kefu never deletes them; at least 6 months (MLPS level 3)."),
          group="security", min_value=MIN_RETENTION_MONTHS, max_value=120),
]
