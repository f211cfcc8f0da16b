"""The work order (工单)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core import clock
from kefu.core.satisfaction import Satisfaction  # noqa: F401  (re-exported: the scale is shared)

from ..kinds import Kind


class State(models.TextChoices):
    OPEN = "open", pgettext_lazy("work order state", "In progress")
    FORWARDED = "forwarded", pgettext_lazy("work order state", "Forwarded, awaiting answer")
    CLOSED = "closed", pgettext_lazy("work order state", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("work order state", "Withdrawn")


class Priority(models.IntegerChoices):
    URGENT = 1, pgettext_lazy("priority", "Urgent")
    HIGH = 2, pgettext_lazy("priority", "High")
    NORMAL = 3, pgettext_lazy("priority", "Normal")
    LOW = 4, pgettext_lazy("priority", "Low")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web chat")
    LETTER = "letter", _("Letter")
    WALK_IN = "walk_in", _("Walk-in")
    API = "api", _("External system")


class WorkOrder(models.Model):
    """One request that was not finished on first contact.

    The creator keeps first-contact responsibility (首问责任制) until the order is
    closed with the customer; the holder (person, team or organisation) is who
    must act at the current station. ``version`` is bumped by every action so that
    two handlers acting at once cannot both win (optimistic locking).
    """

    serial = models.CharField(_("serial number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    template_version = models.ForeignKey("workorders.TemplateVersion", on_delete=models.PROTECT, related_name="+")
    station = models.CharField(_("station"), max_length=32)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    service_tier = models.CharField(_("service tier"), max_length=8, default="other")

    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="work_orders")
    subscriber = models.ForeignKey("crm.Subscriber", verbose_name=_("subscriber"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="work_orders")
    contact_number = models.CharField(_("contact number"), max_length=32, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    origin_contact = models.CharField(_("originating contact"), max_length=64, blank=True, default="")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)

    # Kind fields that queries filter on; the rest of the kind's fields are in details.
    category = models.CharField(_("category"), max_length=32, blank=True, default="")
    level = models.CharField(_("level"), max_length=16, blank=True, default="")
    source = models.CharField(_("source"), max_length=32, blank=True, default="")
    complainant_type = models.CharField(_("complainant type"), max_length=16, blank=True, default="")
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    details = models.JSONField(default=dict, blank=True)

    creator = models.ForeignKey("iam.Staff", verbose_name=_("first-contact owner"), on_delete=models.PROTECT,
                                related_name="created_work_orders")
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("owning organisation"), on_delete=models.PROTECT,
                            related_name="work_orders")
    holder_org = models.ForeignKey("orgs.Organisation", verbose_name=_("holding organisation"),
                                   on_delete=models.PROTECT, related_name="held_work_orders")
    holder_team = models.ForeignKey("iam.Team", verbose_name=_("holding team"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="held_work_orders")
    holder_staff = models.ForeignKey("iam.Staff", verbose_name=_("holder"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="held_work_orders")

    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    station_entered_at = models.DateTimeField(default=clock.now)
    station_due_at = models.DateTimeField(_("station deadline"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply deadline"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    is_overdue = models.BooleanField(_("overdue"), default=False)
    overdue_since = models.DateTimeField(null=True, blank=True)
    warned = models.BooleanField(default=False)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    urge_count = models.PositiveSmallIntegerField(default=0)

    result = models.TextField(_("result"), blank=True, default="", max_length=5000)
    reply_text = models.TextField(_("reply to the customer"), blank=True, default="", max_length=5000)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices, null=True,
                                                    blank=True)
    verdict = models.CharField(_("review verdict"), max_length=16, blank=True, default="")

    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        indexes = [
            # "My work": open orders held by a person / team / organisation, soonest deadline first.
            models.Index(fields=["holder_staff", "state", "station_due_at"], name="wo_holder_staff_due"),
            models.Index(fields=["holder_team", "state", "station_due_at"], name="wo_holder_team_due"),
            models.Index(fields=["holder_org", "state", "station_due_at"], name="wo_holder_org_due"),
            models.Index(fields=["state", "is_overdue", "station_due_at"], name="wo_supervision"),
            models.Index(fields=["org", "created_at"], name="wo_org_created"),
            models.Index(fields=["customer", "created_at"], name="wo_customer_created"),
            models.Index(fields=["kind", "state", "created_at"], name="wo_kind_state_created"),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in (State.OPEN, State.FORWARDED)


class WorkOrderLink(models.Model):
    """Links between orders: appeal → complaint, duplicates, parent/child coordination."""

    class Kind(models.TextChoices):
        APPEAL_OF = "appeal_of", _("Appeal of")
        DUPLICATE_OF = "duplicate_of", _("Duplicate of")
        CHILD_OF = "child_of", _("Coordination order of")

    src = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="links_out")
    dst = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["src", "dst", "kind"], name="wolink_unique")]

    def __str__(self) -> str:
        return f"{self.src_id} {self.kind} {self.dst_id}"
