"""What each node does when the call enters it, and with the caller's keys.

``Call`` is one step's view of a call (session, contact, flow, commands so
far); ``ENTER`` and ``INPUT`` map node types and waits to their behaviour.
The transactions, locking and the public API are in ``runtime``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.billing.selectors import period_parse
from kefu.contactcenter.selectors import queue_active
from kefu.contactcenter.services.contacts import contact_event_record, contact_ivr_progress
from kefu.core import clock
from kefu.core.errors import ValidationFailed
from kefu.crm.selectors import (
    customer_identified,
    subscriber_by_number,
    subscriber_identified,
    subscriber_identify_caller,
)
from kefu.params.selectors import param_get

from .. import flow as flowdef
from ..models import IvrSession, Wait
from . import queries
from .notices_node import enter_notices, input_notices

if TYPE_CHECKING:
    from kefu.contactcenter.models import Contact
    from kefu.crm.models import Subscriber

ACTOR = "ivr"
#: Nodes entered in one step before the runtime gives up (validated flows never get near it).
MAX_STEPS = 40
#: Nodes kept in ``Contact.ivr_path`` (the latest; a caller looping through menus cannot grow the row forever).
MAX_PATH = 200
PASSWORD_DIGITS = 6
MAX_RESULTS = 5


# --- the call in progress -------------------------------------------------------------


class Call:
    """One step's view of a call: the session, the contact, the flow, and the commands so far."""

    def __init__(self, session: IvrSession, contact: Contact, parsed: flowdef.Flow):
        self.s, self.contact, self.flow = session, contact, parsed
        self.out: list[dict] = []
        self.path = list(contact.ivr_path or [])

    @property
    def actor(self):
        return self.s.started_by if self.s.is_test and self.s.started_by_id else ACTOR

    def say(self, text) -> None:
        if text:
            self.out.append({"type": "play", "text": str(text)})

    def collect(self, max_digits: int, timeout: int, terminator: str = "") -> None:
        self.out.append({"type": "collect", "max_digits": int(max_digits), "timeout": int(timeout),
                         "terminator": terminator or ""})

    def event(self, kind: str, **data) -> None:
        contact_event_record(contact=self.contact, kind=kind, data=data)

    def goto(self, node_id: str | None) -> None:
        for _n in range(MAX_STEPS):
            if not node_id:
                return
            node = self.flow.nodes[node_id]
            self.s.node, self.s.wait, self.s.retries, self.s.pending = node_id, Wait.NOTHING, 0, {}
            self.path = [*self.path, node_id][-MAX_PATH:]
            node_id = ENTER[node.type](self, node)
        self.say(_("Sorry, something went wrong. Please call again later."))
        self.hang_up("error")

    def hang_up(self, outcome: str) -> None:
        self.out.append({"type": "hangup"})
        self.finish(outcome)

    def finish(self, outcome: str) -> None:
        self.s.finished_at, self.s.outcome, self.s.wait = clock.now(), outcome, Wait.NOTHING
        self.event("ivr_end", outcome=outcome, node=self.s.node)

    def flush_contact(self) -> None:
        contact_ivr_progress(contact_id=self.contact.pk, ivr_path=self.path,
                             identity_verified=self.contact.identity_verified)

    def save(self) -> None:
        self.s.updated_at = clock.now()
        self.s.save()
        self.flush_contact()
        if self.s.is_test and self.s.finished:
            _end_test_contact(self.contact.pk)


def _end_test_contact(contact_pk: int) -> None:
    from kefu.contactcenter.services.contacts import contact_end

    contact_end(contact_id=contact_pk, by_switch=True)


# --- asking ----------------------------------------------------------------------------


def ask(call: Call, node: flowdef.Node, wait: str) -> None:
    """Prompt for what ``wait`` needs and collect it (also used to ask again)."""
    call.s.wait = wait
    timeout = node.get("timeout")
    if wait == Wait.MENU:
        call.say(node.get("prompt"))
        call.collect(1, timeout)
    elif wait == Wait.COLLECT:
        call.say(node.get("prompt"))
        call.collect(node.get("max_digits"), timeout, node.get("terminator"))
    elif wait == Wait.PASSWORD:
        number = call.s.pending.get("number", "")
        if node.type == "verify_password" and node.get("prompt"):
            call.say(node.get("prompt"))
        elif number == call.contact.caller:
            call.say(_("Please enter your 6-digit service password, then press #."))
        else:
            call.say(_("Please enter the 6-digit service password of number %(number)s, then press #.")
                     % {"number": number})
        call.collect(PASSWORD_DIGITS, timeout, "#")
    elif wait == Wait.NUMBER:
        call.say(_("Please enter the 11-digit mobile number to look up, then press #."))
        call.collect(11, timeout, "#")
    elif wait == Wait.MONTH:
        call.say(_("Please enter the year and month, for example 202405 for May 2024, then press #."))
        call.collect(6, timeout, "#")
    elif wait == Wait.SERIAL:
        call.say(_("Please enter the 14 digits of the work-order number, then press #."))
        call.collect(14, timeout, "#")
    elif wait == Wait.SURVEY:
        _ask_survey(call, node)
    elif wait == Wait.OFFER:
        call.say(node.get("prompt") or _("Press 1 to receive the results by SMS, 2 by e-mail, 3 by a call back, "
                                         "or any other key to go on."))
        call.collect(1, timeout)


def retry(call: Call, node: flowdef.Node, text) -> str | None:
    """A wrong or missing input: ask again, or after the last try go to the node's on-fail."""
    call.s.retries += 1
    call.say(text)
    if call.s.retries >= node.get("max_retries"):
        call.event("ivr_failed", node=node.id, wait=call.s.wait)
        return node.get("on_fail")
    ask(call, node, call.s.wait)
    return None


# --- entering nodes ----------------------------------------------------------------------


def _enter_play(call, node):
    call.say(node.get("text"))
    return node.get("next")


def _enter_menu(call, node):
    ask(call, node, Wait.MENU)


def _enter_collect(call, node):
    ask(call, node, Wait.COLLECT)


def _subject_subscriber(call: Call, subject: str) -> Subscriber | None:
    if subject == "caller":
        return (subscriber_identified(subscriber_id=call.contact.subscriber_id)
                if call.contact.subscriber_id else None)
    number = str(call.s.variables.get(subject[4:], "")) if subject.startswith("var:") else ""
    return _subscriber(call, number)


def _subscriber(call: Call, number: str) -> Subscriber | None:
    """The line a number names, for a query or a password check in the flow.

    In a test call a member of staff types the number, so the lookup is scoped to the tester (a number
    outside their organisations is "not one of our subscribers"). In a real call no person is involved:
    the caller asks about a line, and anything but their own line needs its service password first.
    """
    if len(number) != 11 or not number.isdigit():
        return None
    if call.s.is_test and call.s.started_by_id:
        return subscriber_by_number(actor=call.s.started_by, number=number)
    return subscriber_identify_caller(number=number)


def _set_subject(call: Call, sub: Subscriber) -> None:
    call.s.pending.update(number=sub.number, subscriber=sub.pk, customer=sub.customer_id)


def _not_subscriber(call: Call, node):
    call.say(_("Sorry, this number is not one of our subscribers, so it cannot be looked up here."))
    return node.get("on_fail")


def _enter_verify(call, node):
    sub = _subject_subscriber(call, node.get("subject"))
    if sub is None:
        return _not_subscriber(call, node)
    _set_subject(call, sub)
    if call.s.verified_customer_id == sub.customer_id:
        return node.get("next")
    return _identity(call, node)


def _identity(call: Call, node) -> str | None:
    """Ask for the password of the pending customer, unless it cannot be checked at all."""
    customer = customer_identified(customer_id=call.s.pending.get("customer"))
    if customer is None or not customer.service_password:
        call.say(_("No service password is set for this number; an agent can help you."))
        return node.get("on_fail")
    if customer.service_password_is_locked:
        call.say(_("The service password of this number is locked after too many wrong tries. Please visit a "
                   "service hall with your ID card or ask an agent to unlock it."))
        call.event("ivr_password", result="locked", customer=customer.pk, node=node.id)
        return node.get("on_fail")
    ask(call, node, Wait.PASSWORD)
    return None


def _is_own(call: Call) -> bool:
    p = call.s.pending
    if "subscriber" in p:
        return bool(call.contact.subscriber_id) and p["subscriber"] == call.contact.subscriber_id
    return bool(call.contact.customer_id) and p.get("customer") == call.contact.customer_id


def _enter_query(call, node):
    return _query_progress(call, node)


def _query_progress(call: Call, node) -> str | None:
    """Gather what the query still lacks (subject, password, month) one input at a time, then answer."""
    p, query = call.s.pending, node.get("query")
    if query == "workorder" and node.get("by") == "serial":
        if "order" not in p:
            ask(call, node, Wait.SERIAL)
            return None
    elif "subscriber" not in p:
        subject = node.get("subject")
        if subject == "ask":
            ask(call, node, Wait.NUMBER)
            return None
        sub = _subject_subscriber(call, subject)
        if sub is None:
            return _not_subscriber(call, node)
        _set_subject(call, sub)
    own = _is_own(call)
    if (not own or node.get("require_password")) and call.s.verified_customer_id != p.get("customer"):
        return _identity(call, node)
    if query == "bill_detail" and "month" not in p:
        ask(call, node, Wait.MONTH)
        return None
    _answer(call, node, own)
    return node.get("next")


_SUBSCRIBER_QUERIES = ("bill_current", "bill_detail", "payments", "balance", "arrears", "points")


def _answer(call: Call, node, own: bool) -> None:
    p, query = call.s.pending, node.get("query")
    if query not in _SUBSCRIBER_QUERIES and "order" in p:
        from kefu.workorders.selectors import order_by_id

        text = queries.workorder(order_by_id(p["order"]))
    else:
        # Every other answer is about the subject subscriber set when the node was entered.
        sub = subscriber_identified(subscriber_id=p["subscriber"]) if "subscriber" in p else None
        if sub is None:  # the line is gone since the node was entered: nothing to answer or to send on
            call.say(_("Sorry, this number is not one of our subscribers."))
            return
        if query == "bill_current":
            text = queries.bill_current(sub, own=own)
        elif query == "bill_detail":
            text = queries.bill_detail(sub, p["month"], own=own)
        elif query == "payments":
            text = queries.payments(sub, own=own)
        elif query == "balance":
            text = queries.balance(sub, own=own)
        elif query == "arrears":
            text = queries.arrears(sub, own=own)
        elif query == "points":
            text = queries.points(sub.customer, sub.number, own=own)
        else:
            text, _order = queries.workorder_latest(p.get("customer"), sub.number, own=own)
    call.say(text)
    call.s.results = [*call.s.results, text][-MAX_RESULTS:]
    call.event("ivr_query", query=query, node=node.id, number=p.get("number", ""), own=own,
               order=p.get("order"), month=p.get("month"))
    customer = customer_identified(customer_id=p.get("customer"))
    if customer is not None:
        audit_record(actor=call.actor, action=AuditAction.READ, obj=customer,
                     note=f"IVR self-service: {query}", conditions={"contact": call.contact.pk})


def _enter_offer(call, node):
    if not call.s.results:
        return node.get("next")
    ask(call, node, Wait.OFFER)
    return None


def _enter_survey(call, node):
    """Start a survey of the node's script for the caller; a script not published goes straight on."""
    from kefu.surveys.services.calls import call_survey_start

    survey = call_survey_start(script_code=node.get("script"), number=call.contact.caller,
                               customer_id=call.contact.customer_id, subject=f"contact:{call.contact.pk}")
    if survey is None:
        return node.get("next")
    call.s.pending["survey"] = survey.pk
    call.event("ivr_survey", survey=survey.pk, node=node.id, state="started")
    call.say(node.get("text"))
    return _survey_step(call, node)


def _survey_step(call: Call, node) -> str | None:
    """Ask the next question with keys, or thank the caller and go on."""
    from kefu.surveys.services.calls import call_survey_question

    survey, question = call_survey_question(call.s.pending["survey"])
    if question is None:
        call.event("ivr_survey", survey=survey.pk, node=node.id, state=survey.state)
        call.say(node.get("thanks"))
        return node.get("next")
    call.s.pending["question"] = question.id
    ask(call, node, Wait.SURVEY)
    return None


def _ask_survey(call: Call, node) -> None:
    from kefu.surveys import keys
    from kefu.surveys.services.calls import call_survey_question

    _survey, question = call_survey_question(call.s.pending["survey"])
    if question is None:
        return
    digits, end = keys.max_digits(question)
    call.say(keys.prompt(question))
    call.collect(digits, node.get("timeout"), end)


def _input_survey(call, node, digits, verdict):
    from kefu.surveys.services.calls import call_survey_keys

    if call_survey_keys(survey_id=call.s.pending["survey"], question_id=call.s.pending.get("question", ""),
                        digits=digits or ""):
        call.s.retries = 0
        return _survey_step(call, node)
    call.s.retries += 1
    if call.s.retries >= node.get("max_retries"):  # the survey stays partly answered; the call goes on
        call.event("ivr_survey", survey=call.s.pending["survey"], node=node.id, state="gave_up")
        return node.get("next")
    call.say(_("Sorry, that key is not valid."))
    ask(call, node, Wait.SURVEY)
    return None


def _enter_transfer(call, node):
    from kefu.contactcenter.services.contacts import contact_enqueue

    contact = call.contact
    code = node.get("vip_queue") if contact.service_tier == "vip" and node.get("vip_queue") else node.get("queue")
    queue = queue_active(code=code) or queue_active(code=param_get("ivr.default_queue"))
    if queue is None:
        call.say(_("Sorry, no agent can take your call now. Please call again later."))
        call.hang_up("error")
        return None
    boost = node.get("priority_boost") or 0
    priority = max(contact.priority - boost, 0) if boost else None
    call.say(node.get("text"))
    call.flush_contact()
    if not call.s.is_test:  # a test call must never ring at a real agent
        contact_enqueue(contact=contact, queue=queue, priority=priority, locked=True)  # locked by the step
    call.out.append({"type": "queue", "queue": queue.code,
                     "priority": contact.priority if priority is None else priority})
    call.finish("transfer")
    return None


def _enter_hangup(call, node):
    call.say(node.get("text"))
    call.hang_up("hangup")
    return None


ENTER = {
    "play": _enter_play, "menu": _enter_menu, "collect": _enter_collect, "verify_password": _enter_verify,
    "query": _enter_query, "offer_send": _enter_offer, "notices": enter_notices, "survey": _enter_survey,
    "transfer": _enter_transfer,
    "hangup": _enter_hangup,
}


# --- inputs ----------------------------------------------------------------------------------


def _input_menu(call, node, digits, verdict):
    target = (node.get("choices") or {}).get(digits[:1]) if digits else None
    if target:
        return target
    return retry(call, node, node.get("invalid_text") or _("Sorry, that key is not valid."))


def _input_collect(call, node, digits, verdict):
    terminator = node.get("terminator")
    value = digits[:-1] if terminator and digits.endswith(terminator) else digits
    if not value or len(value) > node.get("max_digits"):
        return retry(call, node, _("Sorry, that input is not valid."))
    call.s.variables = {**call.s.variables, node.get("variable"): value}
    return node.get("next")


def _input_password(call, node, digits, verdict):
    if verdict is None or verdict["customer"] != call.s.pending.get("customer"):
        return retry(call, node, _("Sorry, we did not get your password."))
    result = verdict["result"]
    call.event("ivr_password", result=result, customer=verdict["customer"], node=node.id)
    if result == "ok":
        call.s.verified_customer_id = verdict["customer"]
        if verdict["customer"] == call.contact.customer_id:
            call.contact.identity_verified = True
        call.say(_("Your password is verified."))
        return node.get("next") if node.type == "verify_password" else _query_progress(call, node)
    if result == "wrong":
        call.say(_("The password is wrong; you have %(n)s more tries.") % {"n": verdict["remaining"]})
        ask(call, node, Wait.PASSWORD)
        return None
    if result == "locked":
        call.say(_("The password is wrong too many times and is now locked. Please visit a service hall with "
                   "your ID card or ask an agent to unlock it."))
    else:
        call.say(_("No service password is set for this number; an agent can help you."))
    return node.get("on_fail")


def _input_number(call, node, digits, verdict):
    sub = _subscriber(call, digits.rstrip("#"))
    if sub is None:
        return retry(call, node, _("Sorry, this number is not one of our subscribers."))
    _set_subject(call, sub)
    return _query_progress(call, node)


def _input_month(call, node, digits, verdict):
    try:
        call.s.pending["month"] = period_parse(digits.rstrip("#"))
    except ValidationFailed:
        return retry(call, node, _("Sorry, that is not a valid month."))
    return _query_progress(call, node)


def _input_serial(call, node, digits, verdict):
    order = queries.order_by_serial_digits(digits.rstrip("#"))
    if order is None:
        return retry(call, node, _("Sorry, no work order has this number."))
    if order.customer_id is None:
        call.say(_("Sorry, this work order cannot be looked up by phone; an agent can help you."))
        return node.get("on_fail")
    sub = order.subscriber or order.customer.subscribers.order_by("id").first()
    call.s.pending.update(order=order.pk, customer=order.customer_id, number=sub.number if sub else "")
    return _query_progress(call, node)


def _input_offer(call, node, digits, verdict):
    key = digits[:1]
    if key in ("1", "2", "3"):
        _send(call, {"1": "sms", "2": "email", "3": "call"}[key])
    return node.get("next")


def _send(call: Call, outlet: str) -> None:
    """Send the results to the caller's own number (by SMS or a call that reads them) or its 139 mailbox,
    through the outlets.

    The message is recorded in this step's transaction and sent by the worker; a test call from the flow
    editor sends nothing (the number typed there belongs to a real customer).
    """
    number = call.contact.caller
    if not (len(number) == 11 and number.isdigit() and number.startswith("1")):
        call.say(_("Sorry, your number cannot receive messages."))
        return
    if outlet == "email" and not call.contact.subscriber_id:
        call.say(_("Sorry, no mailbox is known for your number."))
        return
    recipient = f"{number}@139.com" if outlet == "email" else number
    if call.s.is_test:
        call.event("ivr_send", channel=outlet, test=True)
    else:
        from kefu.core.errors import KefuError
        from kefu.outlets.services.messages import send_message

        try:
            outcome = send_message(
                recipient=recipient, outlet=outlet, body="\n".join(call.s.results)[:2000], purpose="ivr_result",
                subject=str(_("Your self-service results")) if outlet == "email" else "",
                idempotency_key=f"ivr-{call.contact.pk}-{uuid.uuid4().hex}", customer_id=call.contact.customer_id,
                contact_id=call.contact.pk, actor=ACTOR, source="ivr")
        except KefuError as exc:  # an outlet switched off: the caller hears it, the call goes on
            call.event("ivr_send", channel=outlet, error=exc.code)
            call.say(_("Sorry, the results cannot be sent now."))
            return
        call.event("ivr_send", channel=outlet, message=outcome.message.pk, status=outcome.message.status)
        if outcome.message.status == "suppressed":
            call.say(_("You have opted out of these messages, so nothing is sent."))
            return
    call.s.results = []
    if outlet == "sms":
        call.say(_("The results will be sent to you by SMS."))
    elif outlet == "call":
        call.say(_("We will call you back shortly and read the results to you."))
    else:
        call.say(_("The results will be sent to your 139 mailbox %(address)s.") % {"address": recipient})


INPUT: dict[str, Callable[..., str | None]] = {
    Wait.MENU: _input_menu, Wait.COLLECT: _input_collect, Wait.PASSWORD: _input_password,
    Wait.NUMBER: _input_number, Wait.MONTH: _input_month, Wait.SERIAL: _input_serial, Wait.OFFER: _input_offer,
    Wait.NOTICES: input_notices,
    Wait.SURVEY: _input_survey,
}
