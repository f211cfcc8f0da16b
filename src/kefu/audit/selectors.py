"""Searching the audit log.

Two rules shape every read here:

* **Scope.** An entry belongs to the organisation of the staff member who
  acted, so ``scope_queryset(..., field="actor__org")`` limits a supervisor to
  what people in their own subtree did. Entries without a staff actor
  (the worker, the demo seed, failed logins of unknown numbers) belong to no
  organisation and are seen only with ``scope.all_orgs``.
* **A search of the log is itself logged.** The log holds who looked at
  which customer, so looking at it is a read of personal data:
  ``audit_log_search`` records the conditions and result count (action
  SEARCH, object type ``audit.auditentry``) before returning the rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import NotFound, ValidationFailed
from kefu.orgs.selectors import scope_queryset

from .models import AuditAction, AuditArchive, AuditEntry
from .services import audit_record, audit_search

#: What searches of the log itself are recorded as.
OBJECT_TYPE = "audit.auditentry"


@dataclass(frozen=True)
class AuditFilters:
    since: datetime | None = None
    until: datetime | None = None
    actor: str = ""  # employee number (工号), or the label of a system actor
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    text: str = ""  # part of the object's description
    customer: int | None = None  # entries about this customer, or reads that showed it

    def __post_init__(self):
        for name in ("actor", "object_type", "object_id", "action", "text"):
            object.__setattr__(self, name, (getattr(self, name) or "").strip())
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and timezone.is_naive(value):
                object.__setattr__(self, name, timezone.make_aware(value))

    def validate(self) -> None:
        if self.action and self.action not in AuditAction.values:
            raise ValidationFailed(_("Unknown action “%(action)s”.") % {"action": self.action},
                                   code="invalid_action")
        if self.since and self.until and self.since > self.until:
            raise ValidationFailed(_("The start of the time range is after its end."), code="invalid_range")

    def conditions(self) -> dict:
        """The conditions actually given, for the record of the search."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def _actor_q(value: str) -> Q:
    from kefu.iam.selectors import staff_id_by_employee_no

    staff_id = staff_id_by_employee_no(value)
    if staff_id is not None:
        return Q(actor_id=staff_id)  # audit_actor_idx (actor, at)
    # A deleted person keeps their "工号 name" label; system actors have a bare label.
    return Q(actor_label=value) | Q(actor_label__startswith=f"{value} ")


def _customer_q(customer_id: int) -> Q:
    """The customer as the object, or among the customers a read showed (``conditions.customers``)."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    direct = Q(object_type="crm.customer", object_id=str(customer_id))  # audit_object_idx
    if connection.vendor == "postgresql":
        # (conditions -> 'customers') @> '[id]': audit_customers_gin (migration 0004), a BitmapOr with the above.
        return direct | Q(conditions__customers__contains=[customer_id])
    # SQLite has no JSON containment and no index into a JSON list: read the list with json_each (a scan of
    # the log; the embedded database is for small sites, see bench/audit_search.py).
    return direct | Q(pk__in=RawSQL(
        "SELECT e.id FROM audit_auditentry e, json_each(e.conditions, '$.customers') c WHERE c.value = %s",
        [customer_id]))


def audit_entry_list(*, actor, filters: AuditFilters) -> QuerySet:
    """Entries matching ``filters`` that ``actor`` may see, newest first.
    A pure read: callers showing the result to a person use
    ``audit_log_search``, which records the search."""
    filters.validate()
    qs = scope_queryset(AuditEntry.objects.select_related("actor"), actor, field="actor__org")
    if filters.since:
        qs = qs.filter(at__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__lte=filters.until)
    if filters.actor:
        qs = qs.filter(_actor_q(filters.actor))
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)  # audit_object_idx
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action:
        qs = qs.filter(action=filters.action)  # audit_action_idx
    if filters.text:
        qs = qs.filter(object_repr__icontains=filters.text)
    if filters.customer is not None:
        qs = qs.filter(_customer_q(filters.customer))
    return qs.order_by("-at", "-id")


def audit_log_search(*, actor, filters: AuditFilters) -> QuerySet:
    """Search the log and record that search (with its result count).

    The recorded entry is left out of the returned rows so the count written
    down and the rows shown agree.
    """
    qs = audit_entry_list(actor=actor, filters=filters)
    count = qs.count()
    entry = audit_search(actor=actor, object_type=OBJECT_TYPE, conditions=filters.conditions(),
                         result_count=count)
    return qs.exclude(pk=entry.pk)


def audit_entry_get(*, actor, entry_id: int) -> AuditEntry:
    """One entry in the actor's scope (else 404); opening it is recorded."""
    entry = scope_queryset(AuditEntry.objects.select_related("actor"), actor, field="actor__org").filter(
        pk=entry_id
    ).first()
    if entry is None:
        raise NotFound(_("Audit entry %(id)s does not exist.") % {"id": entry_id}, code="audit_entry_not_found")
    audit_record(actor=actor, action=AuditAction.READ, object_type=OBJECT_TYPE, object_id=entry.pk,
                 object_repr=str(entry))
    return entry


def audit_archive_list(*, actor) -> QuerySet[AuditArchive]:
    """The archived months, newest first. Only their description (period, id range, count,
    checksum) — no entry's content — so any holder of ``audit.log.view`` may list them."""
    return AuditArchive.objects.order_by("-period_start")
