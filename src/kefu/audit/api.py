"""Audit log API: search and read only.

There is deliberately no PUT, PATCH or DELETE here: the log is append-only
(see ``models.AuditEntry`` and migration 0002). Every search is recorded.
"""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination
from kefu.core.schemas import DateTime

from . import selectors
from .display import object_type_label
from .models import AuditEntry

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor_employee_no: str | None
    actor_label: str
    ip: str
    channel: str
    request_id: str
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    conditions: dict[str, Any]
    result_count: int | None
    note: str

    @staticmethod
    def resolve_actor_employee_no(obj: AuditEntry) -> str | None:
        return obj.actor.employee_no if obj.actor_id else None

    @staticmethod
    def resolve_action_label(obj: AuditEntry) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_object_type_label(obj: AuditEntry) -> str:
        return object_type_label(obj.object_type)


class AuditSearchIn(Schema):
    since: DateTime | None = Field(None, description="From this time (inclusive)")
    until: DateTime | None = Field(None, description="Up to this time (inclusive)")
    actor: str = Field("", max_length=100, description="Employee number (工号) of who acted")
    object_type: str = Field("", max_length=64, description="e.g. orgs.organisation, params.parameter")
    object_id: str = Field("", max_length=64)
    action: str = Field("", max_length=16, description="create, update, delete, search, grant, …")
    text: str = Field("", max_length=100, description="Part of the object's description")


@router.get("/entries", response=list[AuditEntryOut], summary="Search the audit log (the search is logged)")
@requires("audit.log.view")
@paginate(Pagination)
def audit_entries(request, filters: Query[AuditSearchIn]):
    return selectors.audit_log_search(actor=actor_of(request), filters=selectors.AuditFilters(**filters.dict()))


@router.get("/entries/{int:entry_id}", response=AuditEntryOut, summary="One audit entry (the read is logged)")
@requires("audit.log.view")
def audit_entry(request, entry_id: int):
    return selectors.audit_entry_get(actor=actor_of(request), entry_id=entry_id)
