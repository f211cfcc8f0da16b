"""The five levels of satisfaction (SPEC §6), shared by every place that captures it.

A work order's reply and every survey answer speak the same scale, so the satisfaction rate can add
them up: very satisfied 5 … very dissatisfied 1. "Satisfied" for the rate means 4 or 5.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, pgettext_lazy("satisfaction", "Very satisfied")
    SATISFIED = 4, pgettext_lazy("satisfaction", "Satisfied")
    AVERAGE = 3, pgettext_lazy("satisfaction", "Average")
    DISSATISFIED = 2, pgettext_lazy("satisfaction", "Dissatisfied")
    VERY_DISSATISFIED = 1, pgettext_lazy("satisfaction", "Very dissatisfied")


#: The levels the satisfaction rate counts as satisfied.
SATISFIED_LEVELS = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
