from django.utils.translation import gettext_lazy as _

from kefu.params.registry import CHOICE, DURATION, TEXT, Param

GROUPS = {"contactcenter": _("Contact center")}

PARAMETERS = [
    Param("contactcenter.offer_timeout", DURATION, 15, _("Offer timeout"),
          _("An offer not accepted in this time goes to the next agent; the agent goes not ready."),
          group="contactcenter", min_value=3, max_value=120),
    Param("contactcenter.wrap_up", DURATION, 30, _("Default wrap-up time"),
          _("After-call work before the agent returns to ready by itself."), group="contactcenter",
          min_value=0, max_value=1800),
    Param("contactcenter.aging", DURATION, 120, _("Queue aging step"),
          _("Every this long in queue a contact moves up one priority level, so nobody starves."),
          group="contactcenter", min_value=0, max_value=3600),
    Param("contactcenter.policy", CHOICE, "longest_idle", _("Agent selection"),
          _("How the router chooses among qualified agents."), group="contactcenter",
          choices=(("longest_idle", _("Longest idle")), ("least_occupied", _("Least occupied")),
                   ("round_robin", _("Round robin")))),
    Param("contactcenter.not_ready_reasons", TEXT, "break:小休,meal:用餐,training:培训,meeting:会议,after_call:事后处理",
          _("Not-ready reason codes"), _("code:label pairs separated by commas."), group="contactcenter",
          max_length=500),
]
