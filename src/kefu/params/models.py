"""Stored values of system parameters (终端参数 / 个性化参数).

Definitions (type, default, validation, description) live in code, in each
app's ``parameters.py``; a row exists only once someone changed the value.
"""

from django.db import models

from kefu.core import clock


class ParameterValue(models.Model):
    """The value an administrator set for one parameter.

    A reset to the default keeps the row with ``is_default`` set instead of
    deleting it: the version keeps counting up (so an editor holding an old
    version still gets a conflict) and the page can still say who reset it
    and when. While ``is_default`` is set the code's current default applies,
    so a release that changes a default reaches every site that never chose
    its own value.
    """

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    is_default = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.key
