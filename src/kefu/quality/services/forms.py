"""Scoring forms: created, their items published as new versions, switched on and off; all audited.

Publishing never edits a version: it adds the next one and makes it current, so inspections scored on
the old items keep them (``Inspection.form_version``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.iam.selectors import visible_org
from kefu.orgs.selectors import org_find

from .. import selectors
from ..models import FormVersion, ScoreForm
from ..scoring import ScoringError, items_parse


def checked_items(raw) -> list[dict]:
    """The items as stored, or a ``ValidationFailed`` naming the field at fault."""
    try:
        return [i.as_dict() for i in items_parse(raw)]
    except ScoringError as exc:
        raise ValidationFailed(exc.message, code="invalid_items", details={exc.field: exc.message}) from None


@dataclass(frozen=True)
class FormData:
    name: str
    org_id: int
    items: list
    queue_code: str = ""
    order_kind: str = ""


@transaction.atomic
def form_create(*, actor, data: FormData) -> ScoreForm:
    """A new form with its first version."""
    name = (data.name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(
            _("Give the form a name of at most 100 characters."),
            code="invalid_name",
            details={"name": _("Required, at most 100 characters.")},
        )
    items = checked_items(data.items)
    org = _org(actor, data.org_id)
    try:
        with transaction.atomic():
            form = ScoreForm.objects.create(
                name=name,
                org=org,
                queue_code=(data.queue_code or "").strip()[:32],
                order_kind=(data.order_kind or "").strip()[:16],
                current_version=1,
            )
    except IntegrityError:
        raise Conflict(
            _("A form with this name exists in the organisation."),
            code="form_exists",
            details={"name": _("Already used.")},
        ) from None
    FormVersion.objects.create(form=form, number=1, items=items, created_by=_staff(actor))
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=form,
        changes={
            "name": [None, name],
            "org": [None, org.pk],
            "queue_code": [None, form.queue_code],
            "order_kind": [None, form.order_kind],
            "items": [None, items],
        },
    )
    return form


@transaction.atomic
def form_publish(*, actor, form_id, items) -> FormVersion:
    """The next version of the form's items, made current."""
    checked = checked_items(items)
    form = selectors.form_owned(actor=actor, form_id=form_id)
    form = ScoreForm.objects.select_for_update().get(pk=form.pk)
    current = selectors.form_current(form)
    if current is not None and current.items == checked:
        return current  # nothing changed: no empty version
    form.current_version += 1
    form.save(update_fields=["current_version"])
    version = FormVersion.objects.create(
        form=form, number=form.current_version, items=checked, created_by=_staff(actor)
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=form,
        changes={
            "version": [form.current_version - 1, form.current_version],
            "items": [current.items if current else None, checked],
        },
    )
    return version


@transaction.atomic
def form_set_active(*, actor, form_id, active: bool) -> ScoreForm:
    form = selectors.form_owned(actor=actor, form_id=form_id)
    if form.active != active:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=form, changes={"active": [form.active, active]}
        )
        form.active = active
        form.save(update_fields=["active"])
    return form


def _org(actor, org_id):
    """The form's organisation: one the person may see; the system (seed, tests) names any."""
    if getattr(actor, "is_authenticated", False):
        return visible_org(actor=actor, org_id=org_id)
    org = org_find(org_id=org_id)
    if org is None:
        raise NotFound(_("Organisation %(id)s does not exist.") % {"id": org_id}, code="org_not_found")
    return org


def _staff(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
