"""Creating, changing and removing queues (队列), audited.

A queue is configuration the router reads on every decision, so everything is
checked here before it is saved: skills that exist, levels 1–10, overflow steps
in increasing wait, opening hours as ``HH:MM`` pairs. A queue that has ever
held a contact is never deleted (its records would lose their queue): it is
deactivated instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_delete, audit_record, diff, snapshot
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, ValidationFailed
from kefu.iam.selectors import skill_groups_by_code
from kefu.orgs.selectors import org_is_visible

from ..models import Channel, Contact, Queue, QueueSkill

if TYPE_CHECKING:
    from kefu.iam.models import SkillGroup
    from kefu.orgs.models import Organisation

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
WEEKDAYS = ("1", "2", "3", "4", "5", "6", "7")  # ISO weekdays, Monday = 1
AUDITED = ("code", "name", "channel", "org", "sl_target_percent", "sl_target_seconds", "short_abandon_seconds",
           "overflow", "max_wait_seconds", "max_wait_action", "opening_hours", "closed_message", "script", "active")
MAX_SCRIPT = 5000


@dataclass
class QueueData:
    """Everything a queue is, as entered in the form or the API.

    ``skills`` are ``(skill code, minimum level)``; ``overflow`` steps are
    ``{"after": seconds, "skills": [[code, level], ...]}``; ``opening_hours``
    maps an ISO weekday to ``["HH:MM", "HH:MM"]`` (empty = always open, a
    missing day = closed that day).
    """

    code: str
    name: str
    org: Organisation | None
    channel: str = Channel.VOICE
    sl_target_percent: int = 80
    sl_target_seconds: int = 20
    short_abandon_seconds: int = 5
    skills: list[tuple[str, int]] = field(default_factory=list)
    overflow: list[dict] = field(default_factory=list)
    max_wait_seconds: int = 300
    max_wait_action: str = Queue.MaxWaitAction.CALLBACK
    opening_hours: dict = field(default_factory=dict)
    closed_message: str = ""
    script: str = ""
    active: bool = True


def _bounded(errors: dict, name: str, value, low: int, high: int) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high:
        errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return low
    return value


def _skill_list(errors: dict, name: str, pairs, groups: dict[str, SkillGroup]) -> list[tuple[str, int]]:
    out, seen = [], set()
    for code, level in pairs or []:
        code = str(code or "").strip()
        if code not in groups:
            errors[name] = _("Unknown skill group %(code)s.") % {"code": code}
            continue
        if code in seen:
            errors[name] = _("Skill group %(code)s appears twice.") % {"code": code}
            continue
        seen.add(code)
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= 10:
            errors[name] = _("Skill levels go from 1 to 10.")
            continue
        out.append((code, level))
    return out


def _overflow(errors: dict, steps, groups) -> list[dict]:
    """Steps sorted by wait; rows with the same wait merge into one step."""
    merged: dict[int, list] = {}
    for step in steps or []:
        if not isinstance(step, dict):
            errors["overflow"] = _("Each overflow rule needs a wait and skills.")
            continue
        after = _bounded(errors, "overflow", step.get("after"), 1, 86400)
        skills = _skill_list(errors, "overflow", step.get("skills"), groups)
        if not skills and "overflow" not in errors:
            errors["overflow"] = _("Each overflow rule needs at least one skill.")
        bucket = merged.setdefault(after, [])
        for code, level in skills:
            if code in {c for c, _lvl in bucket}:
                errors["overflow"] = _("Skill group %(code)s appears twice.") % {"code": code}
            else:
                bucket.append((code, level))
    return [{"after": after, "skills": [[c, lvl] for c, lvl in merged[after]]} for after in sorted(merged)]


def _hours(errors: dict, hours) -> dict:
    if not hours:
        return {}
    if not isinstance(hours, dict):
        errors["opening_hours"] = _("Opening hours must map weekdays to a start and an end time.")
        return {}
    out = {}
    for day, span in hours.items():
        day = str(day)
        if day not in WEEKDAYS or not isinstance(span, list | tuple) or len(span) != 2:
            errors["opening_hours"] = _("Opening hours must map weekdays 1–7 to a start and an end time.")
            continue
        start, end = (str(x or "").strip() for x in span)
        if not TIME_RE.match(start) or not TIME_RE.match(end) or start >= end:
            errors["opening_hours"] = _("Give times as HH:MM with the start before the end.")
            continue
        out[day] = [start, end]
    return dict(sorted(out.items()))


def _clean(*, actor, data: QueueData, instance: Queue | None) -> tuple[dict, list[tuple[SkillGroup, int]]]:
    errors: dict[str, str] = {}
    code, name = (data.code or "").strip(), (data.name or "").strip()
    if not CODE_RE.match(code):
        errors["code"] = _("The code is 1 to 32 letters, digits, '-' or '_'.")
    if not name or len(name) > 64:
        errors["name"] = _("The name is required (at most 64 characters).")
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if data.org is None or not org_is_visible(actor, data.org):
        errors["org"] = _("Choose an organisation you manage.")
    if data.max_wait_action not in Queue.MaxWaitAction.values:
        errors["max_wait_action"] = _("Unknown action.")
    if len(data.closed_message or "") > 300:
        errors["closed_message"] = _("At most 300 characters.")
    if len(data.script or "") > MAX_SCRIPT:
        errors["script"] = _("At most %(n)s characters.") % {"n": MAX_SCRIPT}
    codes = {str(c).strip() for c, _lvl in data.skills or []}
    for step in data.overflow or []:
        if isinstance(step, dict):
            codes |= {str(c).strip() for c, _lvl in step.get("skills") or []}
    groups = skill_groups_by_code(codes)
    values = {
        "code": code, "name": name, "channel": data.channel, "org": data.org,
        "sl_target_percent": _bounded(errors, "sl_target_percent", data.sl_target_percent, 1, 100),
        "sl_target_seconds": _bounded(errors, "sl_target_seconds", data.sl_target_seconds, 1, 3600),
        "short_abandon_seconds": _bounded(errors, "short_abandon_seconds", data.short_abandon_seconds, 0, 600),
        "max_wait_seconds": _bounded(errors, "max_wait_seconds", data.max_wait_seconds, 10, 86400),
        "max_wait_action": data.max_wait_action, "closed_message": (data.closed_message or "").strip(),
        "script": (data.script or "").strip(), "active": bool(data.active),
        "overflow": _overflow(errors, data.overflow, groups), "opening_hours": _hours(errors, data.opening_hours),
    }
    skills = [(groups[c], lvl) for c, lvl in _skill_list(errors, "skills", data.skills, groups)]
    if not skills and "skills" not in errors:
        errors["skills"] = _("A queue needs at least one skill.")
    taken = Queue.objects.filter(code=code)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if "code" not in errors and taken.exists():
        raise Conflict(_("A queue with code %(code)s already exists.") % {"code": code}, code="duplicate_code",
                       details={"code": _("This code is taken.")})
    if errors:
        raise ValidationFailed(_("Check the queue: %(fields)s.") % {"fields": "; ".join(errors.values())},
                               code="invalid_queue", details=errors)
    return values, skills


def _save_skills(queue: Queue, skills) -> None:
    QueueSkill.objects.filter(queue=queue).delete()
    QueueSkill.objects.bulk_create([QueueSkill(queue=queue, skill_group=g, min_level=lvl) for g, lvl in skills])


def _skills_repr(queue: Queue) -> list:
    return sorted([s.skill_group.code, s.min_level] for s in queue.skills.select_related("skill_group"))


@transaction.atomic
def queue_create(*, actor, data: QueueData) -> Queue:
    values, skills = _clean(actor=actor, data=data, instance=None)
    try:
        with transaction.atomic():
            queue = Queue.objects.create(**values)
    except IntegrityError:
        raise Conflict(_("A queue with code %(code)s already exists.") % {"code": values["code"]},
                       code="duplicate_code") from None
    _save_skills(queue, skills)
    changes = diff({}, snapshot(queue, AUDITED))
    changes["skills"] = [None, _skills_repr(queue)]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=queue, changes=changes)
    return queue


@transaction.atomic
def queue_update(*, actor, queue: Queue, data: QueueData) -> Queue:
    queue = Queue.objects.select_for_update().get(pk=queue.pk)
    values, skills = _clean(actor=actor, data=data, instance=queue)
    before = snapshot(queue, AUDITED)
    skills_before = _skills_repr(queue)
    for name, value in values.items():
        setattr(queue, name, value)
    try:
        with transaction.atomic():
            queue.save()
    except IntegrityError:
        raise Conflict(_("A queue with code %(code)s already exists.") % {"code": values["code"]},
                       code="duplicate_code") from None
    _save_skills(queue, skills)
    changes = diff(before, snapshot(queue, AUDITED))
    skills_after = _skills_repr(queue)
    if skills_after != skills_before:
        changes["skills"] = [skills_before, skills_after]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=queue, changes=changes)
    return queue


@transaction.atomic
def queue_delete(*, actor, queue: Queue) -> None:
    """Only a queue that never held a contact can go; others are deactivated."""
    queue = Queue.objects.select_for_update().get(pk=queue.pk)
    if Contact.objects.filter(queue=queue).exists() or queue.callbacks.exists():
        raise Conflict(_("Queue %(code)s has contact records; deactivate it instead.") % {"code": queue.code},
                       code="queue_in_use")
    audit_delete(actor=actor, obj=queue, fields=AUDITED)
    delete_unless_used(queue, label=queue.name)
