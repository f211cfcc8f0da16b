"""The customer (客户): the person or enterprise that holds accounts and lines."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.models import TimeStampedModel


class CustomerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ENTERPRISE = "enterprise", _("Enterprise")


class CertificateType(models.TextChoices):
    ID_CARD = "id_card", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Home return permit (Hong Kong/Macao)")
    TAIWAN = "taiwan", _("Mainland travel permit (Taiwan)")
    MILITARY = "military", _("Military officer card")
    CREDIT_CODE = "credit_code", _("Unified social credit code")


class Tier(models.TextChoices):
    """Customer tier. VIP (大客户) outranks every brand in queues and deadlines."""

    VIP = "vip", _("VIP")
    STANDARD = "standard", _("Standard")


class VipLevel(models.TextChoices):
    NONE = "", _("None")
    DIAMOND = "diamond", _("Diamond card")
    PLATINUM = "platinum", _("Platinum card")
    GOLD = "gold", _("Gold card")
    SILVER = "silver", _("Silver card")


class Customer(TimeStampedModel):
    """A customer and their identity, home branch, tier and service password.

    Sensitive fields (certificate number, address) are stored in clear because
    staff with ``crm.customer.reveal`` must see them; every read path masks
    them (see ``kefu.crm.masking``) and reveals are audited.

    Indexes are chosen for a million rows: ``name`` (prefix search; on
    PostgreSQL Django adds a ``varchar_pattern_ops`` twin for LIKE), the
    unique (certificate_no, certificate_type) pair whose leading column serves
    the exact certificate search, (tier, name) for lists of VIPs, and the FK
    indexes on ``org`` and ``manager``. Subscriber numbers are indexed on
    ``Subscriber``.
    """

    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CustomerKind.choices, default=CustomerKind.INDIVIDUAL)
    certificate_type = models.CharField(
        _("certificate type"), max_length=16, choices=CertificateType.choices, default=CertificateType.ID_CARD
    )
    certificate_no = models.CharField(_("certificate number"), max_length=32)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("home branch"), on_delete=models.PROTECT, related_name="customers"
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    vip_level = models.CharField(_("VIP level"), max_length=16, choices=VipLevel.choices, blank=True, default="")
    manager = models.ForeignKey(
        "iam.Staff", verbose_name=_("customer manager"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="managed_customers",
    )
    service_password = models.CharField(max_length=128, blank=True, default="", editable=False)
    service_password_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    service_password_locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    service_password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["certificate_no", "certificate_type"], name="crm_customer_certificate_uniq"),
            models.CheckConstraint(condition=Q(tier="vip") | Q(vip_level=""), name="crm_customer_vip_level_only_vip"),
        ]
        indexes = [
            # "All VIP customers" (3% of a million) in name order, without scanning the rest.
            models.Index(fields=["tier", "name"], name="crm_customer_tier_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vip(self) -> bool:
        return self.tier == Tier.VIP

    @property
    def service_password_is_set(self) -> bool:
        return bool(self.service_password)

    @property
    def service_password_is_locked(self) -> bool:
        return self.service_password_locked_at is not None
