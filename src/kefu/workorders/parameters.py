from django.utils.translation import gettext_lazy as _

from kefu.params.registry import DURATION, INTEGER, TEXT, Param

PARAMETERS = [
    Param("workorders.attachment.max_mb", INTEGER, 10, _("Largest attachment (MB)"),
          _("Uploads above this size are refused."), group="workorders", min_value=1, max_value=100),
    Param("workorders.attachment.types", TEXT, "pdf,jpg,jpeg,png,gif,txt,doc,docx,xls,xlsx,mp3,wav,amr",
          _("Allowed attachment types"), _("File name extensions, separated by commas."), group="workorders",
          max_length=300),
    Param("workorders.delivery.max_attempts", INTEGER, 6, _("Forwarding delivery attempts"),
          _("How many times a webhook delivery is tried before it is marked failed."), group="workorders",
          min_value=1, max_value=20),
    Param("workorders.delivery.retry_base", DURATION, 60, _("First retry delay"),
          _("Delay before the first retry; each further retry waits twice as long."), group="workorders",
          min_value=5, max_value=24 * 3600),
    Param("workorders.pre_acceptance.deadline", DURATION, 24 * 3600, _("Account manager deadline, pre-acceptance"),
          _("Time the account manager has for a business order pre-accepted for them (预受理)."), group="sla",
          min_value=60, max_value=30 * 24 * 3600),
    Param("workorders.suggestion_digest.every", DURATION, 7 * 24 * 3600, _("Suggestion digest period"),
          _("How often the suggestions are summed up for the business department (weekly by default)."),
          group="workorders", min_value=3600, max_value=92 * 24 * 3600),
    Param("workorders.suggestion_digest.org", TEXT, "", _("Business department (organisation code)"),
          _("The organisation whose people receive the suggestion digest; empty: the digest is only kept."),
          group="workorders", max_length=32),
    Param("workorders.escalate_after_reminders", INTEGER, 2, _("Reminders before escalating upward"),
          _("After this many overdue reminders the organisation above is alerted."), group="sla",
          min_value=1, max_value=20),
]
