"""Creating and changing staff (人员)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_record, audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed
from kefu.orgs.models import Organisation

from ..models import Position, Role, Staff, StaffStatus, Team

STAFF_FIELDS = (
    "employee_no", "name", "gender", "birth_date", "address", "phone", "email", "org", "role", "team",
    "position", "level", "status",
)


def _validate_password(password: str, staff: Staff | None = None) -> None:
    try:
        validate_password(password, staff)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password", details={"password": exc.messages}) from None


def _check_team(team: Team | None, position: str) -> None:
    if team is not None and position != Position.AGENT:
        raise ValidationFailed(
            _("Teams hold agents only; a %(position)s cannot join team “%(team)s”.")
            % {"position": Position(position).label, "team": team.name},
            code="team_agents_only",
        )


@transaction.atomic
def staff_create(
    *, actor, employee_no: str, name: str, password: str, org: Organisation, role: Role | None = None,
    team: Team | None = None, position: str = Position.AGENT, level: int = 2, gender: str = "U",
    birth_date: date | None = None, address: str = "", phone: str = "", email: str = "",
    validate: bool = True,
) -> Staff:
    employee_no, name = employee_no.strip(), name.strip()
    if not employee_no or not name:
        raise ValidationFailed(_("Employee number and name are required."), code="required")
    if not org.active:
        raise ValidationFailed(_("The organisation is deactivated."), code="org_inactive")
    if position not in Position.values:
        raise ValidationFailed(_("Unknown position."), code="invalid_position")
    _check_team(team, position)
    if Staff.objects.filter(employee_no=employee_no).exists():
        raise Conflict(
            _("Employee number %(no)s is already in use.") % {"no": employee_no}, code="duplicate_employee_no"
        )
    staff = Staff(
        employee_no=employee_no, name=name, org=org, role=role, team=team, position=position, level=level,
        gender=gender, birth_date=birth_date, address=address, phone=phone, email=email,
        status=StaffStatus.ACTIVE, status_changed_at=clock.now(),
    )
    if validate:
        _validate_password(password, staff)
    staff.set_password(password)
    staff.password_changed_at = clock.now()
    try:
        with transaction.atomic():
            staff.save()
    except IntegrityError:
        raise Conflict(
            _("Employee number %(no)s is already in use.") % {"no": employee_no}, code="duplicate_employee_no"
        ) from None
    audit_create(actor=actor, obj=staff, fields=STAFF_FIELDS)
    return staff


@transaction.atomic
def staff_update(*, actor, staff: Staff, **changes) -> Staff:
    """Change profile fields; ``status`` changes stamp ``status_changed_at``."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    before = snapshot(staff, STAFF_FIELDS)
    allowed = set(STAFF_FIELDS) - {"employee_no"}
    for key, value in changes.items():
        if key not in allowed:
            raise ValidationFailed(_("Field “%(field)s” cannot be changed here.") % {"field": key}, code="invalid_field")
        if key in ("name",) and not str(value).strip():
            raise ValidationFailed(_("The name is required."), code="required")
        setattr(staff, key, value)
    if "org" in changes and not staff.org.active:
        raise ValidationFailed(_("The organisation is deactivated."), code="org_inactive")
    if staff.position not in Position.values:
        raise ValidationFailed(_("Unknown position."), code="invalid_position")
    if staff.status not in StaffStatus.values:
        raise ValidationFailed(_("Unknown status."), code="invalid_status")
    _check_team(staff.team, staff.position)
    if before["status"] != staff.status:
        staff.status_changed_at = clock.now()
    staff.save()
    audit_update(actor=actor, obj=staff, before=before)
    return staff


@transaction.atomic
def staff_set_password(*, actor, staff: Staff, password: str) -> Staff:
    """Set a new password (self-service or reset by permitted staff); unlocks."""
    _validate_password(password, staff)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    staff.set_password(password)
    staff.password_changed_at = clock.now()
    staff.failed_logins = 0
    staff.locked_until = None
    staff.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=staff, changes={"password": ["***", "***"]})
    return staff


@transaction.atomic
def staff_unlock(*, actor, staff: Staff) -> Staff:
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    staff.failed_logins = 0
    staff.locked_until = None
    staff.save()
    audit_record(actor=actor, action=AuditAction.UNLOCK, obj=staff)
    return staff
