"""From the addresses a sender chose to the people who receive the message.

Every address is looked up within the sender's organisation scope (``orgs.selectors`` through the
``iam`` selectors): a person, team or organisation outside it is answered exactly like one that does not
exist. Addressing people one by one needs ``messaging.message.send``; teams, roles, organisations and
everyone need ``messaging.message.broadcast``. A reply goes to the sender of the message answered,
wherever they sit: answering a notice needs no wider scope than receiving it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.iam.models import StaffStatus
from kefu.iam.permissions import has_perm
from kefu.iam.selectors import role_get, staff_queryset, team_get
from kefu.orgs.selectors import org_get_visible, subtree_q

from ..models import TargetKind

SEND = "messaging.message.send"
BROADCAST = "messaging.message.broadcast"

#: Addresses in one message, and people in one message (a province has some thousands).
MAX_TARGETS = 200
MAX_RECIPIENTS = 50_000

_RECEIVING = (StaffStatus.ACTIVE, StaffStatus.ON_LEAVE)


@dataclass(frozen=True)
class Target:
    """One address: ``kind`` and the id of what it names (none for ``everyone``); ``subtree`` takes an
    organisation's sub-organisations too."""

    kind: str
    id: int | None = None
    subtree: bool = False


@dataclass(frozen=True)
class Resolved:
    staff_ids: list[int]
    labels: list[dict]


def _not_found(kind: str, ident) -> NotFound:
    names = {TargetKind.STAFF: _("Staff member %(id)s does not exist."),
             TargetKind.TEAM: _("Team %(id)s does not exist."),
             TargetKind.ROLE: _("Role %(id)s does not exist."),
             TargetKind.ORG: _("Organisation %(id)s does not exist.")}
    return NotFound(names[TargetKind(kind)] % {"id": ident}, code="recipient_not_found",
                    details={"kind": kind, "id": ident})


def targets_check(*, actor, targets: list[Target]) -> None:
    """Refuse addressing the actor may not use (before anything is looked up)."""
    if not targets:
        raise ValidationFailed(_("Choose at least one recipient."), code="no_recipients")
    if len(targets) > MAX_TARGETS:
        raise ValidationFailed(_("At most %(n)s addresses in one message.") % {"n": MAX_TARGETS},
                               code="too_many_targets")
    for t in targets:
        if t.kind not in TargetKind.values:
            raise ValidationFailed(_("Unknown kind of recipient."), code="invalid_target")
        if t.kind != TargetKind.EVERYONE and t.id is None:
            raise ValidationFailed(_("Name the recipient."), code="invalid_target")
    if any(t.kind == TargetKind.STAFF for t in targets) and not has_perm(actor, SEND):
        raise PermissionDenied(_("You may not send messages to people."), code="permission_denied",
                               details={"required": [SEND]})
    if any(t.kind != TargetKind.STAFF for t in targets) and not has_perm(actor, BROADCAST):
        raise PermissionDenied(_("You may not send messages to teams, roles, organisations or everyone."),
                               code="permission_denied", details={"required": [BROADCAST]})


def recipients_resolve(*, actor, targets: list[Target], reply_to_sender_id: int | None = None) -> Resolved:
    """The ids of the active people the targets name within the actor's scope (the actor left out), and a
    label for each target as it reads today."""
    targets_check(actor=actor, targets=targets)
    people = staff_queryset(actor=actor).filter(status__in=_RECEIVING)
    ids: set[int] = set()
    labels: list[dict] = []
    for t in targets:
        label, rows = _one(actor, people, t)
        labels.append({"kind": t.kind, "id": t.id, "subtree": t.subtree, "label": label})
        ids.update(rows)
    if reply_to_sender_id is not None:
        ids.add(reply_to_sender_id)
    ids.discard(actor.pk)
    if not ids:
        raise ValidationFailed(_("Nobody active is among the chosen recipients."), code="no_recipients")
    if len(ids) > MAX_RECIPIENTS:
        raise ValidationFailed(_("At most %(n)s people may receive one message.") % {"n": MAX_RECIPIENTS},
                               code="too_many_recipients")
    return Resolved(staff_ids=sorted(ids), labels=labels)


def _one(actor, people, t: Target) -> tuple[str, list[int]]:
    if t.kind == TargetKind.EVERYONE:
        return str(_("Everyone in my scope")), list(people.values_list("pk", flat=True))
    if t.kind == TargetKind.STAFF:
        person = staff_queryset(actor=actor).filter(pk=t.id).first()
        if person is None:
            raise _not_found(t.kind, t.id)
        return f"{person.name} ({person.employee_no})", ([person.pk] if person.status in _RECEIVING else [])
    if t.kind == TargetKind.TEAM:
        try:
            team = team_get(actor=actor, team_id=t.id)
        except NotFound:
            raise _not_found(t.kind, t.id) from None
        # iam_staff.team_id is indexed (foreign key)
        return team.name, list(people.filter(team_id=team.pk).values_list("pk", flat=True))
    if t.kind == TargetKind.ROLE:
        try:
            role = role_get(role_id=t.id)
        except NotFound:
            raise _not_found(t.kind, t.id) from None
        return role.name, list(people.filter(role_id=role.pk).values_list("pk", flat=True))
    try:
        org = org_get_visible(actor=actor, org_id=t.id)  # type: ignore[arg-type]
    except NotFound:
        raise _not_found(t.kind, t.id) from None
    where = subtree_q(org) if t.subtree else Q(org_id=org.pk)
    label = _("%(org)s and below") % {"org": org.name} if t.subtree else org.name
    return str(label), list(people.filter(where).values_list("pk", flat=True))
