from django.utils.translation import gettext_lazy as _

from kefu.params.registry import DURATION, INTEGER, Param

GROUPS = {"campaigns": _("Outbound campaigns")}

PARAMETERS = [
    Param("campaigns.wrap_up_grace", DURATION, 2 * 3600, _("Unrecorded answered calls count as reached after"),
          _("An answered campaign call whose agent recorded no outcome counts as reached after this time."),
          group="campaigns", min_value=60, max_value=7 * 86400),
    Param("campaigns.dispatch_batch", INTEGER, 200, _("Targets put in flight per campaign and second at most"),
          _("Caps one pass of the dispatcher, whatever a campaign's pacing."), group="campaigns",
          min_value=1, max_value=5000),
]
