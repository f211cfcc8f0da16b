"""The append-only audit log (修改日志 / 查询日志)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.errors import KefuError


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    READ = "read", _("Read")
    SEARCH = "search", _("Search")
    REVEAL = "reveal", _("Reveal sensitive data")
    GRANT = "grant", _("Grant")
    REVOKE = "revoke", _("Revoke")
    EXPIRE = "expire", _("Expire")
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Log out")
    LOCK = "lock", _("Lock")
    UNLOCK = "unlock", _("Unlock")
    EXPORT = "export", _("Export")
    OTHER = "other", _("Other")


class AppendOnlyError(KefuError):
    status = 405
    code = "audit_append_only"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("Audit entries cannot be changed."))

    def delete(self):
        raise AppendOnlyError(_("Audit entries cannot be deleted."))


class AuditEntry(models.Model):
    """One thing someone did, written in the same transaction as the change.

    No path in Kefu edits or deletes an entry: ``save`` refuses updates and
    ``delete`` (instance and queryset) refuses outright.
    """

    at = models.DateTimeField(default=clock.now, db_index=True)
    actor = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=100, blank=True, default="")
    ip = models.CharField(max_length=45, blank=True, default="")
    channel = models.CharField(max_length=16, blank=True, default="")
    request_id = models.CharField(max_length=32, blank=True, default="")
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    object_repr = models.CharField(max_length=200, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    result_count = models.IntegerField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    #: The application's database role may only SELECT and INSERT here (kefu.core.dbroles), and
    #: UPDATE ``actor_id`` alone, which the triggers let become NULL (a deleted person).
    append_only = True
    append_only_clearable = ("actor_id",)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            models.Index(fields=["action", "at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Audit entries cannot be deleted."))


class AuditArchive(models.Model):
    """One month of audit entries exported to a compressed file under var/ (MLPS level 3 retention).

    Archiving copies; it never deletes: the application's database role may
    only insert here and in the log. Moving archived months out of the live
    table is the database owner's job (docs/decisions/0008-audit-log.md).
    """

    period_start = models.DateTimeField(unique=True)  # inclusive, local midnight of the 1st
    period_end = models.DateTimeField()  # exclusive
    first_id = models.BigIntegerField(null=True)
    last_id = models.BigIntegerField(null=True)
    entry_count = models.IntegerField()
    file_name = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=clock.now)

    append_only = True

    class Meta:
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return self.file_name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(_("Audit archives cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Audit archives cannot be deleted."))
