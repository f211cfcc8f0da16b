"""In-app messages: the message row is the customer's in-app inbox, so handing it over is delivering it."""

from __future__ import annotations

from . import Outgoing, SendFailed, Sent


class InAppSender:
    def __init__(self, outlet):
        self.outlet = outlet

    def send(self, message: Outgoing) -> Sent:
        if message.customer_id is None:
            raise SendFailed("an in-app message needs a customer", permanent=True)
        return Sent(ref=f"inapp-{message.key}"[:100], delivered=True)

    def after_sent(self, message_id: int, sent: Sent) -> None:
        """Nothing to wait for."""
