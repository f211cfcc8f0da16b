"""Helpers of the web chat tests: a customer identified as the SMS code says, an agent ready for chats."""

import re
import secrets

from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.crm.selectors import subscriber_identify_caller
from kefu.webchat.models import ChatVisit
from kefu.webchat.services import chats


def sms_code(mobile: str) -> str:
    """The code in the last SMS to ``mobile``, as the development gateway recorded it once the outlets sent it."""
    from kefu.outlets.selectors import recorded_sms
    from kefu.outlets.services.sending import messages_dispatch

    messages_dispatch(worker="test")
    sent = recorded_sms(recipient=mobile, limit=1)
    assert sent, f"no SMS to {mobile}"
    return re.search(r"\b(\d{6})\b", sent[0].text).group(1)


def visit_for(entry, mobile: str) -> ChatVisit:
    """An identified visit, as a verified SMS code leaves one (without the SMS, for tests of the chat itself)."""
    sub = subscriber_identify_caller(number=mobile)
    return ChatVisit.objects.create(entry=entry, token=secrets.token_urlsafe(32), mobile=mobile, guest=sub is None,
                                    customer_id=sub.customer_id if sub else None)


def ready(agent, extension: str) -> None:
    ag.agent_login(actor=agent, extension=extension)
    ag.agent_set_state(actor=agent, state="ready")


def chatting(entry, mobile: str, agent):
    """A chat started by ``mobile`` and accepted by ``agent`` (who must be ready); returns the visit."""
    visit = chats.chat_start(visit_id=visit_for(entry, mobile).pk)
    offers = route()
    from kefu.contactcenter.models import Offer

    offer = Offer.objects.get(pk__in=offers, contact_id=visit.contact_id) if offers else Offer.objects.get(
        contact_id=visit.contact_id, state="pending")
    assert offer.staff_id == agent.pk
    ct.offer_accept(actor=agent, offer_id=offer.pk)
    visit.refresh_from_db()
    return visit
