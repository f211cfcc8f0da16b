"""Failed logins counted per client address, so that one address cannot try many accounts."""

from django.db import models

from kefu.core import clock


class LoginThrottle(models.Model):
    """Failed logins from one client address within the current window (``iam.login.address_window``).

    Per-account counting (``Staff.failed_logins``) stops guessing one password; this row stops one address
    spraying a common password over many employee numbers, known or not. A row is reused when its window
    has passed, so the table holds at most one row per address that ever failed.
    """

    address = models.CharField(max_length=45, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=clock.now)
    blocked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.address}: {self.failures}"
