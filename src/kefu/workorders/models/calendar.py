"""Business calendars: deadlines count working time only, when an organisation has one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessCalendar(models.Model):
    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="business_calendar")
    work_start = models.TimeField(_("working day starts"))
    work_end = models.TimeField(_("working day ends"))
    workdays = models.CharField(_("working weekdays"), max_length=7, default="12345",
                                help_text=_("ISO weekday numbers, 1 = Monday"))
    holidays = models.JSONField(_("holidays"), default=list, blank=True)  # ["2026-10-01", ...]
    extra_workdays = models.JSONField(_("extra working days"), default=list, blank=True)  # 调休 weekends

    def __str__(self) -> str:
        return f"{self.org_id} {self.work_start}-{self.work_end}"
