"""SMS gateways: the development gateway that records, and the signed HTTP gateway.

Both split the text with ``smsparts`` (GSM-7 or UCS-2, concatenated segments
with one reference); the reference is derived from the message key so a retry
of the same message carries the same one.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import zlib
from dataclasses import asdict

from .. import smsparts
from . import Outgoing, SendFailed, Sent
from .signing import signed_headers

USER_AGENT = "Kefu-SMS/1"


def segments_of(message: Outgoing) -> tuple[str, list[smsparts.Segment]]:
    try:
        return smsparts.split(message.body, ref=zlib.crc32(message.key.encode()) % 256)
    except ValueError as exc:
        raise SendFailed(str(exc), permanent=True) from None


def sms_gateway(outlet):
    if outlet.gateway == "recorded":
        return RecordedGateway(outlet)
    if outlet.gateway == "http" and outlet.gateway_url:
        return HttpGateway(outlet)
    return None


class RecordedGateway:
    """Keeps what it "sends" in ``RecordedSms`` and reports delivery at once through the same service as
    the webhook (``sms_report_apply``), so the demo and the tests see the whole life of a message."""

    #: What the delivery report says; numbers starting with ``UNREACHABLE_PREFIX`` fail (for demos of failure).
    UNREACHABLE_PREFIX = "1999"

    def __init__(self, outlet):
        self.outlet = outlet

    def send(self, message: Outgoing) -> Sent:
        from ..models import RecordedSms

        encoding, segments = segments_of(message)
        ref = f"rec-{message.key}"[:100]
        # The key is unique per message: a second send of the same message records nothing new.
        RecordedSms.objects.get_or_create(gateway_ref=ref, defaults={
            "outlet": self.outlet, "client_ref": message.key[:100], "sender": self.outlet.sender[:32],
            "recipient": message.recipient[:32], "text": message.body, "encoding": encoding,
            "segments": [{**asdict(s), "udh": s.udh} for s in segments]})
        return Sent(ref=ref, segments=len(segments), encoding=encoding)

    def after_sent(self, message_id: int, sent: Sent) -> None:
        from ..models import RecordedSms
        from ..services.inbound import sms_report_apply

        recorded = RecordedSms.objects.filter(gateway_ref=sent.ref).values_list("recipient", flat=True).first() or ""
        failed = recorded.startswith(self.UNREACHABLE_PREFIX)
        sms_report_apply(outlet=self.outlet, report_id=f"report-{sent.ref}", gateway_ref=sent.ref,
                         status="failed" if failed else "delivered", error="unreachable" if failed else "")


class HttpGateway:
    """Outbound SMS by a signed HTTP POST; reports and inbound messages come back by signed webhooks.

    Request: JSON ``{"id", "to", "from", "text", "encoding", "segments": [{"seq", "total", "ref", "udh",
    "text"}]}`` with ``X-Kefu-Timestamp`` and ``X-Kefu-Signature``. The gateway answers 2xx with
    ``{"id": "<its reference>"}``; a 4xx (but 408 and 429) is final, anything else is tried again.
    ``id`` is the message's key: a gateway that keeps it can drop a repeated submission.
    """

    def __init__(self, outlet, *, timeout: float = 10.0):
        self.outlet = outlet
        self.timeout = timeout

    def send(self, message: Outgoing) -> Sent:
        encoding, segments = segments_of(message)
        body = json.dumps({
            "id": message.key, "to": message.recipient, "from": self.outlet.sender, "text": message.body,
            "encoding": encoding, "segments": [{**asdict(s), "udh": s.udh} for s in segments],
        }, ensure_ascii=False).encode()
        url = self.outlet.gateway_url
        if not url.startswith(("http://", "https://")):
            raise SendFailed("unsupported URL scheme", permanent=True)
        req = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 (scheme checked)
            "Content-Type": "application/json", "User-Agent": USER_AGENT,
            **signed_headers(self.outlet.gateway_secret, body)})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (scheme checked)
                answer = resp.read(65536)
        except urllib.error.HTTPError as exc:
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise SendFailed(f"HTTP {exc.code}", permanent=permanent) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SendFailed(str(getattr(exc, "reason", exc))) from None
        try:
            ref = str(json.loads(answer or b"{}").get("id") or "")
        except (ValueError, AttributeError):
            ref = ""
        if not ref:
            raise SendFailed("the gateway answered without a message id")
        return Sent(ref=ref[:100], segments=len(segments), encoding=encoding)

    def after_sent(self, message_id: int, sent: Sent) -> None:
        """Delivery comes later by webhook."""
