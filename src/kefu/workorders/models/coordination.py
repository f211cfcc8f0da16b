"""Forwarding between organisations (转派/转递) and webhook delivery of events."""

from django.db import models
from django.utils.translation import pgettext_lazy

from kefu.core import clock


class Endpoint(models.Model):
    """Where an external organisation receives forwarded orders (signed webhooks)."""

    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="endpoint")
    url = models.URLField(max_length=300)
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.url


class Forward(models.Model):
    """One forward of an order to another organisation, tracked until answered.

    Archived at the province center: every forward row stays, whatever happens to the order.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery state", "Waiting for delivery")
        DELIVERED = "delivered", pgettext_lazy("delivery state", "Delivered")
        CONFIRMED = "confirmed", pgettext_lazy("delivery state", "Receipt confirmed")
        FAILED = "failed", pgettext_lazy("delivery state", "Delivery failed")
        ANSWERED = "answered", pgettext_lazy("delivery state", "Answered")

    order = models.ForeignKey("workorders.WorkOrder", on_delete=models.CASCADE, related_name="forwards")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="onward")
    from_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    child_order = models.OneToOneField("workorders.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="forwarded_from")
    external = models.BooleanField(default=False)
    text = models.TextField(max_length=5000)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey("iam.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_text = models.TextField(blank=True, default="", max_length=5000)
    archive_org = models.ForeignKey("orgs.Organisation", null=True, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=40, unique=True)  # lets an external party answer this forward

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["archive_org", "created_at"], name="forward_archive_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.to_org_id}"


class PartySetting(models.Model):
    """An external party's coordination settings.

    ``base_province`` is the province center that takes the orders the party's
    own staff create (a handset maker in the TD service model: maker → base
    province → home province), since the party sits outside any province's tree.
    """

    org = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="party_setting")
    base_province = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    def __str__(self) -> str:
        return f"{self.org_id} → {self.base_province_id}"


class WebhookSubscription(models.Model):
    """An outside system that wants order events."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=300)
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list, blank=True)  # empty = all
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One signed HTTP POST to deliver, retried with back-off until it succeeds or gives up."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery state", "Pending")
        DELIVERED = "delivered", pgettext_lazy("delivery state", "Delivered")
        FAILED = "failed", pgettext_lazy("delivery state", "Failed")

    url = models.URLField(max_length=300)
    secret = models.CharField(max_length=100)
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    forward = models.ForeignKey(Forward, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.url}"
