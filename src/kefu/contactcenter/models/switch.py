"""What a switch last reported of itself (``switch.status``, docs/cti.md): its capacity, its load and the
calls it could not carry — the equipment side of access quality (接入质量)."""

from django.db import models

from kefu.core import clock


class SwitchStatus(models.Model):
    """One row per switch, replaced by each report; ``reported_at`` tells whether the link is alive."""

    switch = models.CharField(max_length=64, unique=True)
    trunks_total = models.PositiveIntegerField(default=0)
    trunks_busy = models.PositiveIntegerField(default=0)
    ivr_ports_total = models.PositiveIntegerField(default=0)
    ivr_ports_busy = models.PositiveIntegerField(default=0)
    calls_blocked = models.PositiveIntegerField(
        default=0
    )  # refused for want of a trunk, since the switch started
    calls_failed = models.PositiveIntegerField(default=0)  # lost to a fault, since the switch started
    reported_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["switch"]

    def __str__(self) -> str:
        return self.switch
