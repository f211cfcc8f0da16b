"""Which router process is the active one, where the database has no advisory locks (SQLite)."""

from django.db import models


class RouterLease(models.Model):
    """A lease renewed every second by the active router; a standby takes it over once it expires."""

    name = models.CharField(max_length=32, primary_key=True)
    holder = models.CharField(max_length=96)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%H:%M:%S}"
