"""How a contact ended (the wrap-up disposition): one list for the desk form, the API and reports."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Disposition(models.TextChoices):
    SOLVED = "solved", pgettext_lazy("disposition", "Solved")
    WORK_ORDER = "work_order", pgettext_lazy("disposition", "Work order created")
    CALLBACK = "callback", pgettext_lazy("disposition", "Callback needed")
    TRANSFERRED = "transferred", pgettext_lazy("disposition", "Transferred")
    OTHER = "other", pgettext_lazy("disposition", "Other")


def disposition_label(code: str) -> str:
    """The word for a stored code; codes set by the system (e.g. a max-wait action) show as they are."""
    return str(Disposition(code).label) if code in Disposition.values else code
