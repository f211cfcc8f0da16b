from django.utils.translation import gettext_lazy as _

from kefu.params.registry import CHOICE, DURATION, INTEGER, TEXT, Param

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
    Param("contactcenter.callback.max_attempts", INTEGER, 3, _("Callback attempts"),
          _("How many times Kefu dials a customer who asked to be called back before the callback fails."),
          group="contactcenter", min_value=1, max_value=10),
    Param("contactcenter.callback.retry_delay", DURATION, 300, _("Delay between callback attempts"),
          _("After a dial that did not reach the customer (busy, no answer…), the next attempt waits this long."),
          group="contactcenter", min_value=10, max_value=86400),
    Param("contactcenter.dial.ring_timeout", DURATION, 30, _("Outbound ring time"),
          _("How long the switch lets the customer's phone ring before it reports no answer."),
          group="contactcenter", min_value=5, max_value=120),
    Param("contactcenter.dial.timeout", DURATION, 90, _("Outbound dial timer"),
          _("A dial the switch has not answered nor failed in this time (after the ring time) fails as "
            "unanswered by the switch, and the agent is freed."),
          group="contactcenter", min_value=10, max_value=600),
    Param("contactcenter.dial.caller_id", TEXT, "10086", _("Outbound caller number"),
          _("The number customers see when Kefu calls them."), group="contactcenter", max_length=32),
]
