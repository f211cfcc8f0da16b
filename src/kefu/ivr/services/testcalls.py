"""Test calls from the flow editor: a supervisor plays the caller in the browser.

A test call runs the real runtime on a throwaway contact marked as a test
(``disposition="ivr_test"``, external id ``ivr-test-…``, ``IvrSession.is_test``)
so KPIs can leave it out. It never reaches an agent: a transfer only reports
the queue. It does read real customer data and counts real wrong passwords,
so every lookup of a number runs in the tester's organisation scope (a number
outside it calls as an unknown caller, exactly like a number no line has), and
every query is audited under the tester's name.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import NotFound, ValidationFailed
from kefu.crm.selectors import subscriber_by_number

from ..models import Flow, IvrSession
from . import runtime
from .flows import flow_check

if TYPE_CHECKING:
    from kefu.crm.models import Customer, Subscriber

TEST_DISPOSITION = "ivr_test"


def _caller(actor, caller: str) -> tuple[str, Customer | None, Subscriber | None]:
    caller = (caller or "").strip()
    if not caller or len(caller) > 20 or not caller.isdigit():
        raise ValidationFailed(_("Enter the caller's number (digits only)."), code="invalid_caller",
                               details={"caller": _("Enter the caller's number (digits only).")})
    # A number outside the tester's organisations calls as an unknown caller, like a number no line has.
    sub = subscriber_by_number(actor=actor, number=caller)
    if sub is None:
        return caller, None, None
    return caller, sub.customer, sub


def testcall_start(*, actor, flow: Flow, caller: str, use_draft: bool = False) -> tuple[IvrSession, list[dict]]:
    """Start a test call as ``caller`` against the current version (or the draft, if it validates)."""
    from kefu.contactcenter.services.contacts import contact_test_call_open
    from kefu.crm.selectors import service_tier

    caller, customer, subscriber = _caller(actor, caller)
    flow = Flow.objects.get(pk=flow.pk)  # the draft as saved now, not as the caller last read it
    version, draft = None, None
    if use_draft:
        check = flow_check(flow.draft)
        if not check.ok:
            raise ValidationFailed(_("The draft cannot run: %(problems)s") % {"problems": "; ".join(check.errors)},
                                   code="invalid_flow", details={"problems": check.errors})
        draft = copy.deepcopy(flow.draft)
    else:
        version = flow.current_version()
        if version is None:
            raise ValidationFailed(_("The flow has no published version yet."), code="no_version")
    tier = service_tier(customer, subscriber) if customer else "other"
    with transaction.atomic():
        contact = contact_test_call_open(caller=caller, called=flow.hotline, external_id=runtime.new_test_reference(),
                                         customer=customer, subscriber=subscriber, tier=tier,
                                         disposition=TEST_DISPOSITION)
        run = "draft" if version is None else f"v{version.number}"
        audit_record(actor=actor, action=AuditAction.OTHER, obj=flow, note=f"IVR test call as {caller} ({run})")
        commands = runtime.session_start(contact=contact, flow=flow, version=version, draft=draft, is_test=True,
                                         started_by=actor)
    return IvrSession.objects.select_related("contact").get(contact=contact), commands


def testcall_get(*, actor, session_id) -> IvrSession:
    """A test session the actor started (nobody drives someone else's test call)."""
    try:
        session = IvrSession.objects.select_related("contact", "flow").get(pk=int(session_id), is_test=True)
    except (IvrSession.DoesNotExist, ValueError, TypeError):
        session = None
    if session is None or session.started_by_id != getattr(actor, "pk", None):
        raise NotFound(_("Test call not found."), code="test_call_not_found")
    return session


def testcall_input(*, actor, session_id, digits: str) -> tuple[IvrSession, list[dict]]:
    session = testcall_get(actor=actor, session_id=session_id)
    digits = (digits or "").strip()
    if len(digits) > 32 or any(ch not in "0123456789*#" for ch in digits):
        raise ValidationFailed(_("Keys are 0-9, * and #."), code="invalid_digits")
    commands = runtime.ivr_input(contact=session.contact, digits=digits)
    session.refresh_from_db()
    return session, commands


def testcall_timeout(*, actor, session_id) -> tuple[IvrSession, list[dict]]:
    session = testcall_get(actor=actor, session_id=session_id)
    commands = runtime.ivr_timeout(contact=session.contact)
    session.refresh_from_db()
    return session, commands


@transaction.atomic
def testcall_end(*, actor, session_id) -> IvrSession:
    """The tester hangs up."""
    from kefu.contactcenter.services.contacts import contact_end

    session = testcall_get(actor=actor, session_id=session_id)
    session = IvrSession.objects.select_for_update().get(pk=session.pk)
    if not session.finished:
        session.finished_at, session.outcome, session.wait = clock.now(), "hangup", ""
        session.save()
        contact_end(contact_id=session.contact_id, by_switch=True)
    return session


def expecting(commands: list[dict]) -> dict | None:
    """The collect command the call now waits on (what the keypad should gather), if any."""
    return next((c for c in reversed(commands) if c["type"] == "collect"), None)
