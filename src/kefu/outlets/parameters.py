from django.utils.translation import gettext_lazy as _

from kefu.params.registry import BOOLEAN, DURATION, INTEGER, TEXT, Param

GROUPS = {"outlets": _("Messages to customers")}

PARAMETERS = [
    Param("outlets.max_attempts", INTEGER, 5, _("Attempts per message"),
          _("A message that still fails after this many attempts is marked failed."), group="outlets",
          min_value=1, max_value=20),
    Param("outlets.retry_base", DURATION, 30, _("First retry after"),
          _("Wait before the second attempt; each further attempt waits twice as long as the one before."),
          group="outlets", min_value=1, max_value=6 * 3600),
    Param("outlets.sms_queue", TEXT, "GEN", _("Queue for inbound SMS"),
          _("An SMS from a customer becomes a contact in this queue (by code)."), group="outlets", max_length=32),
    Param("outlets.optout_keywords", TEXT, "TD,退订", _("Opt-out keywords"),
          _("An inbound SMS that is exactly one of these words (comma-separated, any case) opts the number "
            "out of SMS."), group="outlets", max_length=200),
    Param("outlets.call_confirm", BOOLEAN, True, _("Calls ask for a key"),
          _("An outbound IVR call asks the customer to press 1 to confirm they heard the message."),
          group="outlets"),
]
