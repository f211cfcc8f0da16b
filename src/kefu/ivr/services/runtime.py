"""The IVR runtime: what the caller hears next, given a key press or silence.

The CTI adapter calls three functions and carries out the commands they return:

    ivr_start(*, contact) -> list[dict]                 # a call arrived on a hotline number
    ivr_input(*, contact, digits: str) -> list[dict]    # the keys collected by the last "collect"
    ivr_timeout(*, contact) -> list[dict]               # the last "collect" timed out with no key

Commands, in order:

    {"type": "play", "text": "您本月话费为 128.50 元……"}
    {"type": "collect", "max_digits": 1, "timeout": 8, "terminator": ""}
    {"type": "queue", "queue": "VIP", "priority": 0}
    {"type": "hangup"}

Every answer ends with exactly one ``collect``, ``queue`` or ``hangup`` (an
empty list means there is nothing to do: the IVR part of the call is over).
On ``queue`` the runtime has already put the contact in that queue
(``contact_enqueue``); on ``hangup`` the adapter ends the contact.

State lives in ``IvrSession`` (one per contact) and each step runs in one
transaction holding the session's contact row, so a slow switch retrying a
DTMF report cannot run a step twice at once. The one exception is the
service-password check, which the crm service commits on its own *before*
the step (a wrong try must count even if the step later fails).

What each node does is in ``dialog``; this module holds the transactions.

Identity rule (SPEC §2): a query about the caller's own number needs no
password; any other number, or another customer's work order, needs that
customer's service password; three wrong tries lock it (crm rule).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.contactcenter.models import Contact, ContactState
from kefu.contactcenter.selectors import queue_active
from kefu.contactcenter.services.contacts import contact_event_record, contact_lock
from kefu.core import clock
from kefu.core.errors import Locked, NotFound, ValidationFailed
from kefu.crm.selectors import customer_identified
from kefu.params.selectors import param_get

from .. import flow as flowdef
from ..models import Flow, FlowVersion, IvrSession, Wait
from .dialog import ACTOR, INPUT, Call, ask, retry
from .flows import active_version_for, compiled


def _contact_pk(contact) -> int:
    return contact if isinstance(contact, int) else contact.pk


def _language():
    return translation.override(param_get("ivr.language"))


# --- public API ---------------------------------------------------------------------


def ivr_start(*, contact) -> list[dict]:
    """Start the flow of the called number; with no active flow, queue the call to ``ivr.default_queue``."""
    with _language():
        return _start(_contact_pk(contact))


def ivr_input(*, contact, digits: str) -> list[dict]:
    """The caller pressed ``digits`` (the keys the last ``collect`` gathered, terminator included or not)."""
    pk = _contact_pk(contact)
    digits = "".join(ch for ch in str(digits or "") if ch in flowdef.KEYS)[:64]
    with _language():
        verdict = _password_verdict(pk, digits)
        return _step(pk, "input", digits, verdict)


def ivr_timeout(*, contact) -> list[dict]:
    """The last ``collect`` timed out without a key."""
    with _language():
        return _step(_contact_pk(contact), "timeout", "", None)


def session_start(*, contact: Contact, flow: Flow, version: FlowVersion | None = None, draft: dict | None = None,
                  is_test: bool = False, started_by=None) -> list[dict]:
    """Run ``version`` (or a validated ``draft``, for test calls) for a contact that has no session yet."""
    with _language(), transaction.atomic():
        locked = contact_lock(contact_id=contact.pk)
        if locked is None:
            raise NotFound(_("Contact not found."), code="contact_not_found")
        contact = locked
        parsed = compiled(version) if version is not None else flowdef.parse(draft)
        session = IvrSession.objects.create(contact=contact, flow=flow, version=version, draft=draft,
                                            is_test=is_test, started_by=started_by, started_at=clock.now())
        return _begin(session, contact, parsed)


# --- steps --------------------------------------------------------------------------


@transaction.atomic
def _start(contact_pk: int) -> list[dict]:
    contact = contact_lock(contact_id=contact_pk)
    if contact is None:
        raise NotFound(_("Contact not found."), code="contact_not_found")
    if contact.state == ContactState.ENDED:
        return []
    session = IvrSession.objects.filter(contact=contact).first()
    if session is not None:  # a repeated "incoming" report: say again what we wait for
        if session.finished:
            return []
        call = Call(session, contact, _flow_of(session))
        node = call.flow.nodes.get(session.node)
        if node is not None and session.wait:
            ask(call, node, session.wait)
        return call.out
    version = active_version_for(contact.called)
    if version is None:
        return _default_queue(contact)
    session = IvrSession.objects.create(contact=contact, flow=version.flow, version=version, started_at=clock.now())
    return _begin(session, contact, compiled(version))


def _begin(session: IvrSession, contact: Contact, parsed: flowdef.Flow) -> list[dict]:
    contact_event_record(contact=contact, kind="ivr_start",
                         data={"flow": session.flow.hotline,
                               "version": session.version.number if session.version else None,
                               "test": session.is_test})
    call = Call(session, contact, parsed)
    call.goto(parsed.start)
    call.save()
    return call.out


def _flow_of(session: IvrSession) -> flowdef.Flow:
    return compiled(session.version) if session.version is not None else flowdef.parse(session.draft)


def _default_queue(contact: Contact) -> list[dict]:
    from kefu.contactcenter.services.contacts import contact_enqueue

    code = param_get("ivr.default_queue")
    queue = queue_active(code=code)
    if queue is None:
        return [{"type": "play", "text": _("Sorry, no agent can take your call now. Please call again later.")},
                {"type": "hangup"}]
    contact_enqueue(contact=contact, queue=queue, locked=True)  # locked by the step (_start)
    return [{"type": "queue", "queue": queue.code, "priority": contact.priority}]


def _password_verdict(contact_pk: int, digits: str) -> dict | None:
    """Check a typed service password before the step, committed by crm on its own (see module docstring)."""
    from kefu.crm.services.passwords import service_password_verify

    session = IvrSession.objects.filter(contact_id=contact_pk, finished_at__isnull=True).first()
    if session is None or session.wait != Wait.PASSWORD or not digits.rstrip("#"):
        return None
    customer = customer_identified(customer_id=session.pending.get("customer"))
    if customer is None:
        return None
    actor = session.started_by if session.is_test and session.started_by_id else ACTOR
    verdict = {"customer": customer.pk, "result": "wrong", "remaining": 0}
    try:
        result = service_password_verify(actor=actor, customer=customer, password=digits.rstrip("#"))
    except Locked:
        verdict["result"] = "locked"
    except ValidationFailed:
        verdict["result"] = "unset"
    else:
        verdict.update(result="ok" if result.verified else "wrong", remaining=result.remaining_tries)
    return verdict


@transaction.atomic
def _step(contact_pk: int, kind: str, digits: str, verdict: dict | None) -> list[dict]:
    contact = contact_lock(contact_id=contact_pk)
    if contact is None:
        raise NotFound(_("Contact not found."), code="contact_not_found")
    session = IvrSession.objects.select_for_update().filter(contact=contact).first()
    if session is None or session.finished or not session.wait:
        return []
    if contact.state == ContactState.ENDED:  # the caller hung up; a late key report changes nothing
        session.finished_at, session.outcome, session.wait = clock.now(), "abandoned", Wait.NOTHING
        session.save()
        return []
    call = Call(session, contact, _flow_of(session))
    node = call.flow.nodes[session.node]
    if kind == "timeout" and session.wait == Wait.SURVEY:  # silence is a wrong key: the survey gives up, not the call
        nxt = INPUT[Wait.SURVEY](call, node, "", verdict)
    elif kind == "timeout":
        nxt = (node.get("next") if session.wait in (Wait.OFFER, Wait.NOTICES)
               else retry(call, node, _("Sorry, we did not hear a key.")))
    else:
        nxt = INPUT[session.wait](call, node, digits, verdict)
    if nxt:
        call.goto(nxt)
    call.save()
    return call.out



def new_test_reference() -> str:
    return f"ivr-test-{uuid.uuid4().hex[:16]}"
