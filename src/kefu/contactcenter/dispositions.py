"""How a contact ended (the wrap-up disposition): one list for the desk form, the API and reports."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Disposition(models.TextChoices):
    SOLVED = "solved", pgettext_lazy("disposition", "Solved")
    WORK_ORDER = "work_order", pgettext_lazy("disposition", "Work order created")
    CALLBACK = "callback", pgettext_lazy("disposition", "Callback needed")
    TRANSFERRED = "transferred", pgettext_lazy("disposition", "Transferred")
    OTHER = "other", pgettext_lazy("disposition", "Other")


#: Codes the system sets (not offered in the wrap-up form) that have a word of their own.
SYSTEM_LABELS = {"left_message": pgettext_lazy("disposition", "Message left outside opening hours")}


def disposition_label(code: str) -> str:
    """The word for a stored code; other codes set by the system (e.g. a max-wait action) show as they are."""
    if code in SYSTEM_LABELS:
        return str(SYSTEM_LABELS[code])
    return str(Disposition(code).label) if code in Disposition.values else code
