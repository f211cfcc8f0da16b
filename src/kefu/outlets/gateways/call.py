"""The outbound IVR-call outlet: the switch calls the customer and plays the message (an announcement).

Sending places the call (``contactcenter.services.announcements``) and answers with the dial id as the
message's reference; the message stays ``sent`` until the dial's outcome comes back through the purpose
``outlet_call`` (``outlets.services.calls``): answered → delivered, not reached → tried again later or
failed. The outlet's ``sender`` is the number shown to the customer (empty: the switch's default).
"""

from __future__ import annotations

from kefu.contactcenter.services.announcements import announcement_place
from kefu.core.errors import ValidationFailed
from kefu.params.selectors import param_get

from . import Outgoing, SendFailed, Sent

PURPOSE = "outlet_call"


class CallSender:
    def __init__(self, outlet):
        self.outlet = outlet

    def send(self, message: Outgoing) -> Sent:
        try:
            dial = announcement_place(number=message.recipient, text=message.body, purpose=PURPOSE,
                                      confirm=bool(param_get("outlets.call_confirm")),
                                      caller_id=self.outlet.sender[:32], customer_id=message.customer_id,
                                      ref=f"{self.outlet.code}:{message.key}")
        except ValidationFailed as exc:
            raise SendFailed(str(exc.message), permanent=True) from None
        return Sent(ref=dial.dial_id)

    def after_sent(self, message_id: int, sent: Sent) -> None:
        """Delivery comes with the dial's outcome."""
