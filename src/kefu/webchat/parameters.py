from django.utils.translation import gettext_lazy as _

from kefu.params.registry import INTEGER, Param

GROUPS = {"webchat": _("Web chat")}

PARAMETERS = [
    Param("webchat.code.per_number_hour", INTEGER, 5, _("Chat codes per mobile number and hour"),
          _("More requests for the same number within an hour are refused."), group="webchat",
          min_value=1, max_value=100),
    Param("webchat.code.per_ip_hour", INTEGER, 20, _("Chat codes per network address and hour"),
          _("More requests from the same address within an hour are refused."), group="webchat",
          min_value=1, max_value=10000),
    Param("webchat.code.resend_seconds", INTEGER, 60, _("Seconds before a chat code may be sent again"),
          _("A customer asking again sooner for the same number is told to wait."), group="webchat",
          min_value=0, max_value=3600),
]
