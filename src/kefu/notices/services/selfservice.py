"""Customers choose their notices themselves on the web (信息发布定制, the ``web`` door).

A customer types their mobile number; if it is one of our lines, Kefu texts a link to that number (so only
who holds the phone can open it). The link carries the number signed with the site's secret and a
timestamp, and is good for ``LINK_LIFETIME``; opening it shows each kind of notice with a switch, and every
change goes through ``subscription_set`` (audited, source ``web``). The answer to the first step is the
same whether or not the number is ours, so the page tells nobody who our subscribers are. Links are limited
per number (one a minute, five an hour), counted on the messages sent, so the limit holds across processes.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import KefuError
from kefu.crm.selectors import subscriber_identify_caller
from kefu.outlets.selectors import messages_sent_to_count
from kefu.outlets.services.recipients import number_normalize

LINK_LIFETIME = timedelta(minutes=30)
SOURCE = "self_service"
DOOR = "customer web page"
_SALT = "kefu.notices.self_service"


class TooManyLinks(KefuError):
    status = 429
    code = "rate_limited"


def self_service_token(number: str) -> str:
    """The number and the link's end (Kefu's clock, so tests can move it), signed."""
    until = int((clock.now() + LINK_LIFETIME).timestamp())
    return signing.Signer(salt=_SALT).sign(f"{number}.{until}")


def self_service_number(token: str) -> str | None:
    """The number a link was sent to, or None when the link is forged or older than ``LINK_LIFETIME``."""
    try:
        number, _sep, until = signing.Signer(salt=_SALT).unsign(token or "").rpartition(".")
    except signing.BadSignature:
        return None
    if not until.isdigit() or int(until) < clock.now().timestamp():
        return None
    return number


def self_service_link_send(*, number: str, link_for) -> bool:
    """Text the link to ``number`` if it is one of our lines (``link_for(token)`` makes the absolute URL);
    True when a link was sent. ``ValidationFailed`` for a number that is not a mobile number, ``TooManyLinks``
    over the limits."""
    from kefu.outlets.services.messages import send_message

    number = number_normalize(number)
    now = clock.now()
    if messages_sent_to_count(recipient=number, source=SOURCE, since=now - timedelta(minutes=1)):
        raise TooManyLinks(_("A link was just sent to this number. Wait a minute before asking again."))
    if messages_sent_to_count(recipient=number, source=SOURCE, since=now - timedelta(hours=1)) >= 5:
        raise TooManyLinks(_("Too many links for this number. Try again in an hour."))
    line = subscriber_identify_caller(number=number)
    if line is None:
        return False
    url = link_for(self_service_token(number))
    with translation.override(settings.LANGUAGE_CODE):  # texts to customers are in the center's language
        text = _("To choose which notices you receive from us, open %(url)s (valid for 30 minutes).") % {"url": url}
    send_message(recipient=number, outlet="sms", purpose="reply", body=text, customer_id=line.customer_id,
                 idempotency_key=f"notices-link-{number}-{int(now.timestamp())}", source=SOURCE, actor=DOOR)
    return True
