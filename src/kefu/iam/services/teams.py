"""Teams (班组): groups of agents for rostering and team contests.

A team holds agents only (岗位 = 话务员), and only people of its organisation's
subtree. Deleting a team keeps its people, team-less. The leader (班长) is
recorded separately and need not be a member (a supervisor may lead).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, ValidationFailed
from kefu.orgs.models import Organisation

from ..models import Staff, Team
from .checks import check_lengths, check_required
from .staff import staff_update

TEAM_FIELDS = ("name", "org", "leader", "description")


def _duplicate(name: str, org: Organisation) -> Conflict:
    return Conflict(
        _("%(org)s already has a team named “%(name)s”.") % {"org": org.name, "name": name}, code="duplicate_name"
    )


def _check_leader(leader: Staff | None, org: Organisation) -> None:
    if leader is None:
        return
    if not leader.is_active:
        raise ValidationFailed(_("%(name)s is not active and cannot lead a team.") % {"name": leader.name},
                               code="leader_inactive")
    if not leader.org.path.startswith(org.path):
        raise ValidationFailed(
            _("The leader must work in %(org)s or below it.") % {"org": org.name}, code="leader_other_org"
        )


@transaction.atomic
def team_create(*, actor, name: str, org: Organisation, leader: Staff | None = None,
                description: str = "") -> Team:
    name = check_required(name, _("name"))
    if not org.active:
        raise ValidationFailed(_("The organisation is deactivated."), code="org_inactive")
    _check_leader(leader, org)
    team = Team(name=name, org=org, leader=leader, description=(description or "").strip())
    check_lengths(team, ("name", "description"))
    if Team.objects.filter(org=org, name=name).exists():
        raise _duplicate(name, org)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise _duplicate(name, org) from None
    audit_create(actor=actor, obj=team, fields=TEAM_FIELDS)
    return team


_UNSET = object()


@transaction.atomic
def team_update(*, actor, team: Team, name: str | None = None, description: str | None = None,
                leader=_UNSET) -> Team:
    """Rename, describe or change the leader (``leader=None`` clears it).

    Members reference the team, so a new name shows for them at once.
    """
    team = Team.objects.select_for_update(of=("self",)).select_related("org").get(pk=team.pk)
    before = snapshot(team, TEAM_FIELDS)
    if name is not None:
        team.name = check_required(name, _("name"))
    if description is not None:
        team.description = description.strip()
    if leader is not _UNSET:
        _check_leader(leader, team.org)
        team.leader = leader
    check_lengths(team, ("name", "description"))
    if Team.objects.filter(org=team.org, name=team.name).exclude(pk=team.pk).exists():
        raise _duplicate(team.name, team.org)
    team.save()
    audit_update(actor=actor, obj=team, before=before)
    return team


@transaction.atomic
def team_delete(*, actor, team: Team) -> int:
    """Delete a team; its people stay, team-less. Returns how many were affected."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    members = list(team.members.values_list("employee_no", flat=True))
    audit_delete(actor=actor, obj=team, fields=TEAM_FIELDS)
    if members:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=team, note="members left without team",
                     changes={"members": [members, []]})
    delete_unless_used(team, label=team.name)  # Staff.team is SET_NULL
    return len(members)


def team_add_member(*, actor, team: Team, staff: Staff) -> Staff:
    """Put an agent in the team (moving them out of any other team)."""
    if staff.team_id == team.pk:
        raise Conflict(_("%(name)s is already in team “%(team)s”.") % {"name": staff.name, "team": team.name},
                       code="already_member")
    return staff_update(actor=actor, staff=staff, team=team)


def team_remove_member(*, actor, team: Team, staff: Staff) -> Staff:
    if staff.team_id != team.pk:
        raise ValidationFailed(
            _("%(name)s is not in team “%(team)s”.") % {"name": staff.name, "team": team.name}, code="not_member"
        )
    return staff_update(actor=actor, staff=staff, team=None)
