"""Stored values of system parameters (终端参数 / 个性化参数).

Definitions (type, default, validation, description) live in code, in each
app's ``parameters.py``; a row exists only once someone changed the value.
"""

from django.db import models

from kefu.core import clock


class ParameterValue(models.Model):
    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.key
