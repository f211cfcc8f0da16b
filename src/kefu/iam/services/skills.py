"""Skill groups (技能组) and the level (1–10) at which a person holds each.

Routing matches calls against these levels, so a level outside 1–10 is
refused here (the database refuses it too, by a check constraint).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, NotFound, ValidationFailed

from ..models import SkillGroup, Staff, StaffSkill
from .checks import check_lengths, check_required

SKILL_FIELDS = ("code", "name", "description")
MIN_LEVEL, MAX_LEVEL = 1, 10


def _duplicate(code: str) -> Conflict:
    return Conflict(_("A skill group with code “%(code)s” already exists.") % {"code": code}, code="duplicate_code")


@transaction.atomic
def skill_group_create(*, actor, code: str, name: str, description: str = "") -> SkillGroup:
    code = check_required(code, _("code"))
    group = SkillGroup(code=code, name=check_required(name, _("name")), description=(description or "").strip())
    check_lengths(group, SKILL_FIELDS)
    if SkillGroup.objects.filter(code=code).exists():
        raise _duplicate(code)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise _duplicate(code) from None
    audit_create(actor=actor, obj=group, fields=SKILL_FIELDS)
    return group


@transaction.atomic
def skill_group_update(*, actor, group: SkillGroup, name: str | None = None,
                       description: str | None = None) -> SkillGroup:
    """Rename or describe; the code is what routing rules refer to, so it stays."""
    group = SkillGroup.objects.select_for_update().get(pk=group.pk)
    before = snapshot(group, SKILL_FIELDS)
    if name is not None:
        group.name = check_required(name, _("name"))
    if description is not None:
        group.description = description.strip()
    check_lengths(group, SKILL_FIELDS)
    group.save()
    audit_update(actor=actor, obj=group, before=before)
    return group


@transaction.atomic
def skill_group_delete(*, actor, group: SkillGroup) -> int:
    """Delete a skill group; its people stay, losing only this skill. Returns how many."""
    group = SkillGroup.objects.select_for_update().get(pk=group.pk)
    holders = list(group.staff_levels.values_list("staff__employee_no", flat=True))
    audit_delete(actor=actor, obj=group, fields=SKILL_FIELDS)
    if holders:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=group, note="holders lost this skill",
                     changes={"holders": [holders, []]})
    delete_unless_used(group, label=group.name)  # StaffSkill rows cascade; Staff rows stay
    return len(holders)


def _check_level(level) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationFailed(
            _("The skill level must be between %(min)d and %(max)d.") % {"min": MIN_LEVEL, "max": MAX_LEVEL},
            code="invalid_level",
        )
    return level


@transaction.atomic
def staff_skill_set(*, actor, staff: Staff, skill_group: SkillGroup, level: int) -> StaffSkill:
    """Give a person a skill at ``level``, or change the level they hold it at."""
    level = _check_level(level)
    row, created = StaffSkill.objects.select_for_update().get_or_create(
        staff=staff, skill_group=skill_group, defaults={"level": level}
    )
    old = None if created else row.level
    if not created and row.level != level:
        row.level = level
        row.save(update_fields=["level"])
    if created or old != level:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=staff,
                     changes={f"skill:{skill_group.code}": [old, level]})
    return row


@transaction.atomic
def skill_group_assign(*, actor, group: SkillGroup, levels) -> list[StaffSkill]:
    """Set several people's levels in one skill group, all or nothing."""
    return [staff_skill_set(actor=actor, staff=staff, skill_group=group, level=level) for staff, level in levels]


@transaction.atomic
def staff_skill_remove(*, actor, staff: Staff, skill_group: SkillGroup) -> None:
    row = StaffSkill.objects.select_for_update().filter(staff=staff, skill_group=skill_group).first()
    if row is None:
        raise NotFound(
            _("%(name)s does not hold skill group “%(group)s”.") % {"name": staff.name, "group": skill_group.name},
            code="skill_not_held",
        )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=staff,
                 changes={f"skill:{skill_group.code}": [row.level, None]})
    row.delete()
