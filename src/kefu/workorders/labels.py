"""Translated names of actions and states, for messages and buttons."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "create": _("Create"), "accept": _("Accept"), "review": _("Review"), "verify": _("Verify"),
    "dispatch": _("Dispatch"), "process": _("Process"), "locate": _("Locate the fault"),
    "repair": _("Repair"), "return": _("Return"), "withdraw": _("Withdraw"), "forward": _("Forward"),
    "urge": _("Urge"), "escalate": _("Escalate"), "reply": _("Reply to the customer"), "close": _("Close"),
    "reopen": _("Reopen as appeal"), "report": _("Report upward"), "answer": _("Answer back"),
    "forward_failed": _("Forwarding failed"), "adoption": _("Adoption feedback"),
    "mail_in": _("E-mail from the customer"), "mail_out": _("E-mail to the customer"),
}


def action_name(action: str) -> str:
    return str(ACTIONS.get(action, action))
