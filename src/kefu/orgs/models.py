"""The organisation tree: HQ → province centers → city branches → departments,
plus external parties that receive forwarded work."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import TimeStampedModel


class OrgKind(models.TextChoices):
    HQ = "hq", _("Group headquarters")
    PROVINCE = "province", _("Province center")
    CITY = "city", _("City branch")
    DEPARTMENT = "department", _("Department")
    EXTERNAL = "external", _("External party")


class ExternalKind(models.TextChoices):
    NONE = "", _("Not external")
    PROVINCE_CENTER = "province_center", _("Other province center")
    HANDSET_MAKER = "handset_maker", _("Handset maker")
    BILLING = "billing", _("Billing / BOSS")
    OTHER = "other", _("Other party")


class Organisation(TimeStampedModel):
    """A node of the tree.

    ``path`` is a materialised path of ancestor ids ("/1/4/9/") so that "this
    node's subtree" is one indexed prefix query on both SQLite and PostgreSQL;
    the scoping helper in ``selectors`` depends on it.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    external_kind = models.CharField(
        _("external kind"), max_length=24, choices=ExternalKind.choices, default="", blank=True
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="")
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_descendant_of(self, other: "Organisation") -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk
