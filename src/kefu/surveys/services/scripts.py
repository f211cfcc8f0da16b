"""Writes of survey scripts: create, edit the draft, publish it (then it never changes), (de)activate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_record, audit_update, snapshot
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed

from .. import script as pure
from ..models import ScriptVersion, SurveyScript, VersionState

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class ScriptData:
    code: str
    name: str
    org_id: int


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_definition(definition) -> None:
    problems = pure.problems_of(definition)
    if problems:
        raise ValidationFailed(
            _("The script is not valid: %(problems)s") % {"problems": "; ".join(problems)},
            code="invalid_script",
            details={"problems": problems},
        )


@transaction.atomic
def script_create(*, actor, data: ScriptData, definition: dict | None = None) -> SurveyScript:
    """A new script with its first draft (the example script unless a definition is given)."""
    code, name = (data.code or "").strip(), (data.name or "").strip()
    if not CODE_RE.match(code):
        raise ValidationFailed(_("The code must be 1 to 32 letters, digits, - or _."), code="invalid_code")
    if not name or len(name) > 100:
        raise ValidationFailed(_("The name is required (at most 100 characters)."), code="invalid_name")
    definition = definition if definition is not None else pure.example()
    _check_definition(definition)
    if SurveyScript.objects.filter(code=code).exists():
        raise Conflict(_("A survey script with code %(code)s exists.") % {"code": code}, code="script_exists")
    script = SurveyScript.objects.create(code=code, name=name, org_id=data.org_id)
    ScriptVersion.objects.create(script=script, number=1, definition=definition, created_by=_actor(actor))
    audit_create(actor=actor, obj=script, fields=("code", "name", "org"))
    return script


@transaction.atomic
def script_update(*, actor, script: SurveyScript, name: str, active: bool) -> SurveyScript:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("The name is required (at most 100 characters)."), code="invalid_name")
    script = SurveyScript.objects.select_for_update().get(pk=script.pk)
    before = snapshot(script, ("name", "active"))
    script.name, script.active = name, active
    script.save(update_fields=["name", "active"])
    audit_update(actor=actor, obj=script, before=before)
    return script


@transaction.atomic
def script_draft_save(*, actor, script: SurveyScript, definition, note: str = "") -> ScriptVersion:
    """Save the script's draft (starting a new one, numbered after the last version, if none is open)."""
    _check_definition(definition)
    SurveyScript.objects.select_for_update().get(
        pk=script.pk
    )  # one writer of the script's versions at a time
    draft = ScriptVersion.objects.filter(script=script, state=VersionState.DRAFT).first()
    if draft is None:
        last = ScriptVersion.objects.filter(script=script).aggregate(n=Max("number"))["n"] or 0
        draft = ScriptVersion(script=script, number=last + 1, created_by=_actor(actor))
    draft.definition, draft.note = definition, (note or "")[:200]
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        raise Conflict(
            _("The script changed meanwhile; reload and try again."), code="script_changed"
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=draft,
        note="draft saved",
        changes={"definition": [None, f"{len(pure.parse(definition).questions)} questions"]},
    )
    return draft


@transaction.atomic
def script_publish(*, actor, script: SurveyScript) -> ScriptVersion:
    """Publish the draft: from now on it is what surveys ask, and it never changes."""
    SurveyScript.objects.select_for_update().get(pk=script.pk)
    draft = ScriptVersion.objects.filter(script=script, state=VersionState.DRAFT).first()
    if draft is None:
        raise Conflict(_("There is no draft to publish."), code="no_draft")
    _check_definition(draft.definition)
    draft.state, draft.published_at = VersionState.PUBLISHED, clock.now()
    draft.save(update_fields=["state", "published_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=draft,
        changes={"state": [VersionState.DRAFT, VersionState.PUBLISHED]},
        note="published",
    )
    return draft
