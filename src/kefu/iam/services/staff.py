"""Creating and changing staff (人员).

Every write runs in one transaction with its audit entry, so a failure part
way (say, an unknown skill level after the person was saved) leaves nothing
behind. Passwords follow the policy in ``settings.AUTH_PASSWORD_VALIDATORS``.
"""

from __future__ import annotations

from collections.abc import Iterable
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

from ..models import Gender, Position, Role, SkillGroup, Staff, StaffLevel, StaffStatus, Team
from .checks import check_choice, check_email, check_lengths, check_required
from .guards import check_can_assign_role, check_super_target

STAFF_FIELDS = (
    "employee_no", "name", "gender", "birth_date", "address", "phone", "email", "org", "role", "team",
    "position", "level", "status",
)
#: Fields ``staff_update`` accepts; the employee number is the login and never changes.
EDITABLE_FIELDS = frozenset(STAFF_FIELDS) - {"employee_no"}
_TEXT_FIELDS = ("employee_no", "name", "address", "phone", "email")


def _validate_password(password: str, staff: Staff | None = None) -> None:
    try:
        validate_password(password, staff)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password", details={"password": exc.messages}) from None


def _check_team(team: Team | None, position: str, org: Organisation) -> None:
    """Teams (班组) hold agents only, and only people of the team's organisation subtree."""
    if team is None:
        return
    if position != Position.AGENT:
        raise ValidationFailed(
            _("Teams hold agents only; a %(position)s cannot join team “%(team)s”.")
            % {"position": Position(position).label, "team": team.name},
            code="team_agents_only",
        )
    if not org.path.startswith(team.org.path):
        raise ValidationFailed(
            _("Team “%(team)s” belongs to %(team_org)s; this person works in %(org)s.")
            % {"team": team.name, "team_org": team.org.name, "org": org.name},
            code="team_other_org",
        )


EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _check_profile(staff: Staff) -> None:
    check_lengths(staff, _TEXT_FIELDS)
    check_choice(staff.position, Position, _("position"))
    check_choice(staff.status, StaffStatus, _("status"))
    check_choice(staff.gender, Gender, _("gender"))
    check_choice(staff.level, StaffLevel, _("level"))
    check_email(staff.email)
    if staff.birth_date and staff.birth_date >= clock.now().date():
        raise ValidationFailed(_("The birth date must be in the past."), code="invalid_birth_date")
    if staff.birth_date and staff.birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationFailed(_("The birth date must be in 1900 or later."), code="invalid_birth_date")
    if not staff.org.active:
        raise ValidationFailed(_("The organisation is deactivated."), code="org_inactive")
    _check_team(staff.team, staff.position, staff.org)


def _duplicate(employee_no: str) -> Conflict:
    return Conflict(
        _("Employee number %(no)s is already in use.") % {"no": employee_no}, code="duplicate_employee_no"
    )


@transaction.atomic
def staff_create(
    *, actor, employee_no: str, name: str, password: str, org: Organisation, role: Role | None = None,
    team: Team | None = None, position: str = Position.AGENT, level: int = 2, gender: str = "U",
    birth_date: date | None = None, address: str = "", phone: str = "", email: str = "",
    skills: Iterable[tuple[SkillGroup, int]] = (), validate: bool = True,
) -> Staff:
    """A new person, with role, team and skill levels given at creation if wanted."""
    employee_no = check_required(employee_no, _("employee number"))
    name = check_required(name, _("name"))
    check_can_assign_role(actor, role)
    staff = Staff(
        employee_no=employee_no, name=name, org=org, role=role, team=team, position=position, level=level,
        gender=gender, birth_date=birth_date, address=(address or "").strip(), phone=(phone or "").strip(),
        email=(email or "").strip(), status=StaffStatus.ACTIVE, status_changed_at=clock.now(),
    )
    _check_profile(staff)
    if Staff.objects.filter(employee_no=employee_no).exists():
        raise _duplicate(employee_no)
    if validate:
        _validate_password(password, staff)
    staff.set_password(password)
    staff.password_changed_at = clock.now()
    try:
        with transaction.atomic():
            staff.save()
    except IntegrityError:
        raise _duplicate(employee_no) from None
    audit_create(actor=actor, obj=staff, fields=STAFF_FIELDS)
    if skills:
        from .skills import staff_skill_set

        for group, skill_level in skills:
            staff_skill_set(actor=actor, staff=staff, skill_group=group, level=skill_level)
    return staff


@transaction.atomic
def staff_update(*, actor, staff: Staff, **changes) -> Staff:
    """Change profile fields; ``status`` changes stamp ``status_changed_at``."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("role", "org", "team__org").get(pk=staff.pk)
    check_super_target(actor, staff)
    before = snapshot(staff, STAFF_FIELDS)
    for key, value in changes.items():
        if key not in EDITABLE_FIELDS:
            raise ValidationFailed(_("Field “%(field)s” cannot be changed here.") % {"field": key}, code="invalid_field")
        if key in _TEXT_FIELDS:
            value = (value or "").strip()
        setattr(staff, key, value)
    if "name" in changes:
        check_required(staff.name, _("name"))
    if "role" in changes and staff.role_id != before["role"]:
        check_can_assign_role(actor, staff.role)
    _check_profile(staff)
    if before["status"] != staff.status:
        staff.status_changed_at = clock.now()
    staff.save()
    audit_update(actor=actor, obj=staff, before=before)
    return staff


def staff_set_status(*, actor, staff: Staff, status: str) -> Staff:
    """Change the status (在岗 / 休假 / 停用 / 离职) and stamp the time of the change."""
    return staff_update(actor=actor, staff=staff, status=status)


@transaction.atomic
def staff_set_password(*, actor, staff: Staff, password: str) -> Staff:
    """Set a new password following the policy (reset by permitted staff); unlocks."""
    check_super_target(actor, staff)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    _validate_password(password, staff)
    staff.set_password(password)
    staff.password_changed_at = clock.now()
    staff.failed_logins = 0
    staff.locked_until = None
    staff.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=staff, changes={"password": ["***", "***"]},
                 note="password reset" if getattr(actor, "pk", None) != staff.pk else "password changed")
    return staff


def staff_reset_password(*, actor, staff: Staff, password: str) -> Staff:
    return staff_set_password(actor=actor, staff=staff, password=password)


@transaction.atomic
def staff_change_own_password(*, actor: Staff, old_password: str, new_password: str) -> Staff:
    """Self-service: the old password proves it is really the owner at the keyboard."""
    staff = Staff.objects.select_for_update().get(pk=actor.pk)
    if not staff.check_password(old_password or ""):
        raise ValidationFailed(_("The current password is wrong."), code="wrong_password",
                               details={"field": "old_password"})
    if old_password == new_password:
        raise ValidationFailed(_("The new password must differ from the current one."), code="same_password",
                               details={"field": "new_password"})
    _validate_password(new_password, staff)
    staff.set_password(new_password)
    staff.password_changed_at = clock.now()
    staff.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=staff, changes={"password": ["***", "***"]},
                 note="password changed")
    return staff


@transaction.atomic
def staff_unlock(*, actor, staff: Staff) -> Staff:
    """Lift a login lockout before it runs out."""
    check_super_target(actor, staff)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    staff.failed_logins = 0
    staff.locked_until = None
    staff.save()
    audit_record(actor=actor, action=AuditAction.UNLOCK, obj=staff)
    return staff
