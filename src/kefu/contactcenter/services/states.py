"""The agent-state primitives every contact-center service builds on.

The lowest service layer: agents, contacts and the router all change an
agent's state through here, and nothing here imports them back, so the
dependencies go one way (agents → contacts → router → states).
"""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from kefu.params.selectors import param_get

from ..models import AgentSession, AgentState, AgentStateChange
from . import realtime, router_inbox

S = AgentState


def not_ready_reasons() -> dict[str, str]:
    """Reason codes from the parameter ``contactcenter.not_ready_reasons`` (code:label,…)."""
    out = {}
    for part in str(param_get("contactcenter.not_ready_reasons")).replace("，", ",").split(","):
        code, _sep, label = part.partition(":")
        if code.strip():
            out[code.strip()] = label.strip() or code.strip()
    return out


def live_session(staff, *, lock: bool = False) -> AgentSession | None:
    """The agent's open session; ``lock`` takes its row for the caller's transaction in the same query."""
    # Uses agentsession_one_live_per_staff (staff where logged_out_at is null).
    qs = AgentSession.objects.filter(staff=staff, logged_out_at__isnull=True)
    return (qs.select_for_update() if lock else qs).first()


def agent_state_change(session: AgentSession, state: str, *, reason: str = "", by=None, also: tuple = (),
                       row_written: bool = False, at=None) -> AgentSession:
    """Record the state change (inside the caller's transaction) and tell the desktop and supervisors.

    ``also`` names other session fields the caller changed, written in the same UPDATE; ``row_written``
    says a conditional UPDATE of the caller's already wrote the state to the row (the router's offer), at ``at``.
    """
    now = at or clock.now()
    AgentStateChange.objects.filter(session=session, ended_at__isnull=True).update(ended_at=now)
    AgentStateChange.objects.create(session=session, staff_id=session.staff_id, state=state, reason=reason,
                                    started_at=now, by=by if getattr(by, "pk", None) else None)
    was_free = session.state == S.READY
    session.state, session.reason, session.state_since = state, reason, now
    if state == S.READY and not was_free:
        session.idle_since = now
    if not row_written:
        session.version += 1
        # The fields a state change moves, and the loads callers change with it (offer accepted, contact ended).
        session.save(update_fields=["state", "reason", "state_since", "idle_since", "version", "voice_load",
                                    "chat_load", *also])
    event = {"type": "agent.state", "staff": session.staff_id, "state": state, "reason": reason,
             "since": now.isoformat(), "extension": session.extension, "version": session.version}
    realtime.to_agent(session.staff_id, event)
    realtime.to_supervisors(event)
    router_inbox.tell(agents=[session.staff_id])
    return session


def wrap_up_until() -> timedelta:
    return param_get("contactcenter.wrap_up")
