from django.utils.translation import gettext_lazy as _

from kefu.params.registry import BOOLEAN, DURATION, INTEGER, TEXT, Param

GROUPS = {"notices": _("Information publishing")}

PARAMETERS = [
    Param("notices.quiet_hours", BOOLEAN, True, _("Quiet hours"),
          _("Hold notices to customers during the quiet hours below."), group="notices"),
    Param("notices.quiet_start", DURATION, 21 * 3600, _("Quiet hours start"),
          _("Time of day, e.g. 21h."), group="notices", min_value=0, max_value=24 * 3600 - 1),
    Param("notices.quiet_end", DURATION, 8 * 3600, _("Quiet hours end"),
          _("Time of day, e.g. 8h."), group="notices", min_value=0, max_value=24 * 3600 - 1),
    Param("notices.callback.max_attempts", INTEGER, 8, _("Callback attempts"),
          _("A callback still failing after this many attempts is marked failed (it can be retried by hand)."),
          group="notices", min_value=1, max_value=30),
    Param("notices.callback.retry_base", DURATION, 30, _("First callback retry after"),
          _("Each further attempt waits twice as long as the one before."), group="notices",
          min_value=1, max_value=6 * 3600),
    Param("notices.report_wait", DURATION, 3600, _("Wait for SMS delivery reports"),
          _("An SMS accepted by the gateway without a delivery report after this long is reported as sent."),
          group="notices", min_value=1, max_value=7 * 24 * 3600),
    Param("notices.sms_unsubscribe", TEXT, "TD", _("SMS word to unsubscribe"),
          _("Followed by the kind, e.g. TD优惠 (欠费, 高额, 话费, 公告, 个人, 优惠, 调查)."), group="notices",
          max_length=8),
    Param("notices.sms_subscribe", TEXT, "DY", _("SMS word to subscribe"),
          _("Followed by the kind, e.g. DY优惠."), group="notices", max_length=8),
]
