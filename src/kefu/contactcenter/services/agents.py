"""Agent sessions and states. Every change closes the previous state record and
opens the next, so occupancy and adherence can be computed exactly later."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, ValidationFailed

from ..models import AgentSession, AgentState, AgentStateChange
from .contacts import withdraw_offers_of
from .router import route_soon
from .states import agent_state_change, live_session, not_ready_reasons

S = AgentState
SYSTEM_REASONS = {"no_answer", "supervisor", "after_call"}


@transaction.atomic
def agent_login(*, actor, extension: str) -> AgentSession:
    extension = (extension or "").strip()
    if not extension or len(extension) > 16 or not extension.isalnum():
        raise ValidationFailed(_("Enter the extension (seat) number, letters and digits only."), code="invalid_extension")
    existing = live_session(actor)
    if existing is not None:
        if existing.extension == extension:
            return existing
        raise Conflict(_("You are already logged in at extension %(ext)s.") % {"ext": existing.extension},
                       code="already_logged_in")
    try:
        with transaction.atomic():
            session = AgentSession.objects.create(staff=actor, extension=extension, state=S.NOT_READY,
                                                  reason="login")
    except IntegrityError:
        raise Conflict(_("Extension %(ext)s is taken by another agent.") % {"ext": extension},
                       code="extension_taken") from None
    agent_state_change(session, S.NOT_READY, reason="login")
    audit_record(actor=actor, action=AuditAction.LOGIN, obj=session, object_repr=f"{actor.employee_no}@{extension}",
                 note="contact center")
    return session


@transaction.atomic
def agent_logout(*, actor, session: AgentSession | None = None, by=None) -> AgentSession:
    # The agent's own session is found and locked in one query; a supervisor's comes loaded, to be locked.
    session = (AgentSession.objects.select_for_update().get(pk=session.pk) if session is not None
               else live_session(actor, lock=True))
    if session is None:
        raise NotFound(_("You are not logged in to the contact center."), code="not_logged_in")
    if session.logged_out_at is not None:
        return session
    withdraw_offers_of(session)  # a ringing contact goes back to the queue, first in line
    if session.voice_load or session.chat_load:
        raise ValidationFailed(_("Finish your current contacts before logging out."), code="busy")
    agent_state_change(session, S.LOGGED_OUT, by=by)
    session.logged_out_at = clock.now()
    session.save(update_fields=["logged_out_at"])
    AgentStateChange.objects.filter(session=session, ended_at__isnull=True).update(ended_at=session.logged_out_at)
    audit_record(actor=by or actor, action=AuditAction.LOGOUT, obj=session,
                 object_repr=f"{session.staff_id}@{session.extension}", note="contact center")
    return session


@transaction.atomic
def agent_set_state(*, actor, state: str, reason: str = "", session: AgentSession | None = None,
                    by=None) -> AgentSession:
    """Ready or not ready (with a reason code). Busy/offered/wrap-up come from contacts, not from here."""
    session = (AgentSession.objects.select_for_update().get(pk=session.pk) if session is not None
               else live_session(actor, lock=True))
    if session is None:
        raise NotFound(_("Log in to the contact center first."), code="not_logged_in")
    if state not in (S.READY, S.NOT_READY):
        raise ValidationFailed(_("You can only choose ready or not ready."), code="invalid_state")
    if state == S.NOT_READY:
        reasons = not_ready_reasons()
        if reason not in reasons and reason not in SYSTEM_REASONS:
            raise ValidationFailed(_("Choose a reason: %(reasons)s.") % {"reasons": "、".join(reasons.values())},
                                   code="reason_required")
    if session.state in (S.OFFERED, S.BUSY, S.HOLD) and state == S.READY:
        raise ValidationFailed(_("You are handling a contact."), code="busy")
    if state == S.NOT_READY and session.state == S.OFFERED:
        withdraw_offers_of(session)
    if session.state in (S.BUSY, S.HOLD) and state == S.NOT_READY:
        # Takes effect after the current contact: remember it as the state to return to.
        session.reason = reason
        session.save(update_fields=["reason"])
        return session
    session = agent_state_change(session, state, reason=reason, by=by)
    if state == S.READY:
        route_soon()
    return session


@transaction.atomic
def agent_force(*, actor, session: AgentSession, action: str) -> AgentSession:
    """A supervisor forces an agent not ready or logs them out (audited in the same transaction)."""
    if action == "not_ready":
        s = agent_set_state(actor=session.staff, state=S.NOT_READY, reason="supervisor", session=session, by=actor)
    elif action == "logout":
        s = agent_logout(actor=session.staff, session=session, by=actor)
    else:
        raise ValidationFailed(_("Unknown supervisor action."), code="invalid")
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=session, object_repr=f"{session.staff_id}",
                 note=f"supervisor forced {action}")
    return s


def wrap_ups_expire() -> int:
    """Agents whose wrap-up time is over return to ready (or to the not-ready they asked for)."""
    now = clock.now()
    done = 0
    for pk in AgentSession.objects.filter(logged_out_at__isnull=True, state=S.WRAP_UP,
                                          wrap_up_until__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            s = AgentSession.objects.select_for_update().get(pk=pk)
            if s.state != S.WRAP_UP or s.voice_load or s.chat_load:
                continue
            pending_reason = s.reason if s.reason and s.reason != "after_call" else ""
            if pending_reason:
                agent_state_change(s, S.NOT_READY, reason=pending_reason)
            else:
                agent_state_change(s, S.READY)
            done += 1
    if done:
        route_soon()
    return done
