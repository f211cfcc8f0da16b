"""Contact-center API, mounted at /api/contactcenter/.

The agent desktop is a client of this API: every desk action answers with the
whole desk state (``DeskOut``), so the page redraws from one source whether
the change came from a click, a WebSocket event or a reload. The supervisor
view refetches ``/supervisor/snapshot`` when an event arrives.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.pagination import Pagination
from kefu.iam.selectors import staff_find
from kefu.orgs.selectors import org_find

from . import selectors
from .cti.api import router as cti_router
from .dispositions import Disposition
from .models import AgentState, Offer
from .schemas import (
    CallbackDetailOut,
    CallbackQuery,
    CallbackRow,
    ConferenceIn,
    ContactDetailOut,
    ContactQuery,
    ContactRow,
    DeskOut,
    ForceIn,
    ForceOut,
    LoginIn,
    QueueIn,
    QueueOut,
    SnapshotOut,
    StateIn,
    TransferIn,
    WrapUpIn,
)
from .services import agents as agent_services
from .services import contacts as contact_services
from .services.purposes import purpose_outcome_known
from .services.queues import QueueData, queue_create, queue_delete, queue_update

router = Router(tags=["contact center"])
router.add_router("/cti", cti_router)  # the switch interface (docs/cti.md), owned by cti/

DESK = "contactcenter.desk.use"


def _desk(request):
    return selectors.desk_state(actor=actor_of(request))


# --- Agent desktop ----------------------------------------------------------------


@router.get("/agent/me", response=DeskOut, summary="My desk: session, ringing offer, current contacts, today")
@requires(DESK)
def desk_me(request):
    return _desk(request)


@router.post("/agent/login", response=DeskOut, summary="Log in to the contact center at an extension")
@requires(DESK)
def agent_login(request, payload: LoginIn):
    agent_services.agent_login(actor=actor_of(request), extension=payload.extension)
    return _desk(request)


@router.post("/agent/logout", response=DeskOut, summary="Log out of the contact center")
@requires(DESK)
def agent_logout(request):
    agent_services.agent_logout(actor=actor_of(request))
    return _desk(request)


@router.post("/agent/state", response=DeskOut, summary="Go ready, or not ready with a reason code")
@requires(DESK)
def agent_state(request, payload: StateIn):
    agent_services.agent_set_state(actor=actor_of(request), state=payload.state, reason=payload.reason)
    return _desk(request)


@router.post("/offers/{offer_id}/accept", response=DeskOut, summary="Answer a ringing offer")
@requires(DESK)
def offer_accept(request, offer_id: int):
    contact_services.offer_accept(actor=actor_of(request), offer_id=offer_id)
    return _desk(request)


@router.post("/offers/{offer_id}/reject", response=DeskOut, summary="Refuse a ringing offer (it goes to someone else)")
@requires(DESK)
def offer_reject(request, offer_id: int):
    actor = actor_of(request)
    offer = selectors.offer_of(actor=actor, offer_id=offer_id)
    if offer is None:
        raise NotFound(_("No such offer for you."), code="offer_not_found")
    if offer.state != Offer.State.PENDING:
        raise Conflict(_("This offer is no longer ringing."), code="offer_closed")
    contact_services.offer_close(offer_id=offer_id, state=Offer.State.REJECTED, actor=actor)
    return _desk(request)


@router.post("/contacts/{contact_id}/hold", response=DeskOut, summary="Put the caller on hold")
@requires(DESK)
def contact_hold(request, contact_id: int):
    contact_services.contact_hold(actor=actor_of(request), contact_id=contact_id, hold=True)
    return _desk(request)


@router.post("/contacts/{contact_id}/unhold", response=DeskOut, summary="Take the caller off hold")
@requires(DESK)
def contact_unhold(request, contact_id: int):
    contact_services.contact_hold(actor=actor_of(request), contact_id=contact_id, hold=False)
    return _desk(request)


@router.post("/contacts/{contact_id}/transfer", response=DeskOut, summary="Transfer to a queue, an agent or a number")
@requires(DESK)
def contact_transfer(request, contact_id: int, payload: TransferIn):
    actor = actor_of(request)
    targets = [t for t in (payload.to_queue, payload.to_agent, payload.to_number) if t.strip()]
    if len(targets) != 1:
        raise ValidationFailed(_("Choose one place to transfer to: a queue, an agent or a number."),
                               code="target_required")
    to_queue = to_staff = None
    if payload.to_queue.strip():
        to_queue = selectors.queue_active(code=payload.to_queue.strip())
        if to_queue is None:
            raise NotFound(_("No active queue has code %(code)s.") % {"code": payload.to_queue}, code="queue_not_found")
    elif payload.to_agent.strip():
        to_staff = staff_find(employee_no=payload.to_agent.strip())
        if to_staff is None or not to_staff.is_active:
            raise NotFound(_("No agent has employee number %(no)s.") % {"no": payload.to_agent},
                           code="agent_not_found")
        if to_staff.pk == actor.pk:
            raise ValidationFailed(_("You cannot transfer a contact to yourself."), code="self_transfer")
    contact_services.contact_transfer(actor=actor, contact_id=contact_id, to_queue=to_queue, to_staff=to_staff,
                                      to_number=payload.to_number.strip())
    return _desk(request)


@router.post("/contacts/{contact_id}/conference", response=DeskOut, summary="Bring a third party into the call")
@requires(DESK)
def contact_conference(request, contact_id: int, payload: ConferenceIn):
    contact_services.contact_conference(actor=actor_of(request), contact_id=contact_id, number=payload.number.strip())
    return _desk(request)


@router.post("/contacts/{contact_id}/end", response=DeskOut, summary="End the contact (wrap-up follows)")
@requires(DESK)
def contact_end(request, contact_id: int):
    actor = actor_of(request)
    contact_services.contact_end(contact_id=contact_id, actor=actor)
    return _desk(request)


@router.post("/contacts/{contact_id}/wrap-up", response=DeskOut, summary="Record the disposition and notes")
@requires(DESK)
def contact_wrap_up(request, contact_id: int, payload: WrapUpIn):
    if payload.disposition not in Disposition.values and not purpose_outcome_known(
            contact_id=contact_id, disposition=payload.disposition):  # a campaign call: one of its outcomes
        raise ValidationFailed(_("Choose how the contact ended (disposition)."), code="disposition_invalid",
                               details={"disposition": list(Disposition.values)})
    contact_services.contact_wrap_up(actor=actor_of(request), contact_id=contact_id,
                                     disposition=payload.disposition, notes=payload.notes)
    return _desk(request)


# --- Supervisor ------------------------------------------------------------------------


@router.get("/supervisor/snapshot", response=SnapshotOut, summary="Live queues and agents")
@requires("contactcenter.supervise.view")
def supervisor_snapshot(request):
    return selectors.supervisor_snapshot(actor=actor_of(request))


@router.post("/supervisor/agents/{staff_id}/force", response=ForceOut,
             summary="Force an agent not ready or log them out (audited)")
@requires("contactcenter.supervise.force")
def supervisor_force(request, staff_id: int, payload: ForceIn):
    actor = actor_of(request)
    session = selectors.agent_sessions(actor=actor).filter(staff_id=staff_id).first()
    if session is None:
        raise NotFound(_("That agent is not logged in."), code="agent_not_logged_in")
    session = agent_services.agent_force(actor=actor, session=session, action=payload.action)
    return {"staff": session.staff_id, "state": session.state, "state_label": str(AgentState(session.state).label)}


# --- Queues ------------------------------------------------------------------------------


def _queue_data(actor, payload: QueueIn) -> QueueData:
    org = org_find(org_id=payload.org_id)
    return QueueData(
        code=payload.code, name=payload.name, org=org, channel=payload.channel,
        sl_target_percent=payload.sl_target_percent, sl_target_seconds=payload.sl_target_seconds,
        short_abandon_seconds=payload.short_abandon_seconds,
        skills=[(s.skill, s.min_level) for s in payload.skills],
        overflow=[{"after": st.after, "skills": [[s.skill, s.min_level] for s in st.skills]}
                  for st in payload.overflow],
        max_wait_seconds=payload.max_wait_seconds, max_wait_action=payload.max_wait_action,
        opening_hours=payload.opening_hours, closed_message=payload.closed_message, script=payload.script,
        active=payload.active,
    )


@router.get("/queues", response=list[QueueOut], summary="Queues")
@requires("contactcenter.queue.view")
@paginate(Pagination)
def queue_list(request, search: str = "", active: bool | None = None):
    return selectors.queue_list(actor=actor_of(request), search=search[:64], active=active)


@router.post("/queues", response={201: QueueOut}, summary="Create a queue")
@requires("contactcenter.queue.edit")
def queue_add(request, payload: QueueIn):
    actor = actor_of(request)
    queue = queue_create(actor=actor, data=_queue_data(actor, payload))
    return 201, selectors.queue_get(actor=actor, queue_id=queue.pk)


@router.get("/queues/{queue_id}", response=QueueOut, summary="One queue")
@requires("contactcenter.queue.view")
def queue_detail(request, queue_id: int):
    return selectors.queue_get(actor=actor_of(request), queue_id=queue_id)


@router.put("/queues/{queue_id}", response=QueueOut, summary="Change a queue")
@requires("contactcenter.queue.edit")
def queue_change(request, queue_id: int, payload: QueueIn):
    actor = actor_of(request)
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    queue_update(actor=actor, queue=queue, data=_queue_data(actor, payload))
    return selectors.queue_get(actor=actor, queue_id=queue_id)


@router.delete("/queues/{queue_id}", response={204: None}, summary="Delete a queue that never held a contact")
@requires("contactcenter.queue.edit")
def queue_remove(request, queue_id: int):
    actor = actor_of(request)
    queue_delete(actor=actor, queue=selectors.queue_get(actor=actor, queue_id=queue_id))
    return 204, None


# --- Contact records -------------------------------------------------------------------


@router.get("/contacts", response=list[ContactRow], summary="Contact records (call detail records)")
@requires("contactcenter.contact.view")
@paginate(Pagination)
def contact_list(request, filters: Query[ContactQuery]):
    return selectors.contact_list(actor=actor_of(request), filters=selectors.ContactFilters(**filters.dict()))


@router.get("/contacts/{contact_id}", response=ContactDetailOut, summary="One contact with its event timeline")
@requires("contactcenter.contact.view")
def contact_detail(request, contact_id: int):
    actor = actor_of(request)
    contact = selectors.contact_get(actor=actor, contact_id=contact_id)
    contact.events_out = [{"at": e.at, "kind": e.kind, "agent": e.agent.employee_no if e.agent_id else "",
                           "data": e.data} for e in selectors.contact_events(contact)]
    contact.orders_out = [{"serial": o.serial, "title": o.title, "state": o.state}
                          for o in selectors.orders_of_contact(actor=actor, contact=contact)]
    return contact



# --- Callbacks -------------------------------------------------------------------------


@router.get("/callbacks", response=list[CallbackRow], summary="Callbacks and how their attempts went")
@requires("contactcenter.callback.view")
@paginate(Pagination)
def callback_list(request, filters: Query[CallbackQuery]):
    return selectors.callback_list(actor=actor_of(request), state=filters.state, since=filters.since)


@router.get("/callbacks/{callback_id}", response=CallbackDetailOut, summary="One callback with each attempt")
@requires("contactcenter.callback.view")
def callback_detail(request, callback_id: int):
    callback = selectors.callback_get(actor=actor_of(request), callback_id=callback_id)
    callback.dials_out = selectors.callback_dials(callback)
    return callback
