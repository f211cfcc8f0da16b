"""The permission tree as data, and grants of its nodes.

Nodes are declared in code by each app (``<app>/permissions.py``) and synced
into ``PermissionNode`` so that grants can reference them with foreign keys.
A grant of a node covers its whole subtree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class PermissionNode(models.Model):
    class Kind(models.TextChoices):
        MODULE = "module", _("Module")
        FUNCTION = "function", _("Function")
        BUTTON = "button", _("Button")

    code = models.CharField(max_length=100, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.code


class RoleGrant(models.Model):
    role = models.ForeignKey("iam.Role", on_delete=models.CASCADE, related_name="grants")
    node = models.ForeignKey(PermissionNode, on_delete=models.CASCADE, related_name="role_grants")
    granted_at = models.DateTimeField(default=clock.now)
    granted_by = models.ForeignKey("iam.Staff", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "node"], name="rolegrant_unique")]

    def __str__(self) -> str:
        return f"{self.role_id}:{self.node_id}"


class StaffGrant(models.Model):
    """A permission granted to one person on top of their role."""

    staff = models.ForeignKey("iam.Staff", on_delete=models.CASCADE, related_name="personal_grants")
    node = models.ForeignKey(PermissionNode, on_delete=models.CASCADE, related_name="staff_grants")
    granted_at = models.DateTimeField(default=clock.now)
    granted_by = models.ForeignKey("iam.Staff", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "node"], name="staffgrant_unique")]

    def __str__(self) -> str:
        return f"{self.staff_id}:{self.node_id}"


class TemporaryPermission(models.Model):
    """临时权限: nodes granted to named holders for a time window.

    Effective checks compare the window with the clock, so it ends on time even
    if the worker is down; the worker then marks it expired and audits that.
    """

    reason = models.CharField(_("reason"), max_length=200)
    nodes = models.ManyToManyField(PermissionNode, related_name="temporary_grants")
    holders = models.ManyToManyField("iam.Staff", related_name="temporary_permissions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    granted_by = models.ForeignKey("iam.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["expired_at", "ends_at"], name="tempperm_expiry_idx")]

    def __str__(self) -> str:
        return self.reason

    class State(models.TextChoices):
        UPCOMING = "upcoming", pgettext_lazy("temporary permission", "Upcoming")
        ACTIVE = "active", pgettext_lazy("temporary permission", "Active")
        ENDED = "ended", pgettext_lazy("temporary permission", "Ended")
        REVOKED = "revoked", pgettext_lazy("temporary permission", "Revoked")

    def is_active_at(self, when) -> bool:
        return self.revoked_at is None and self.starts_at <= when < self.ends_at

    def state_at(self, when) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if when < self.starts_at:
            return self.State.UPCOMING
        if when < self.ends_at:
            return self.State.ACTIVE
        return self.State.ENDED
