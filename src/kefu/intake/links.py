"""Links between intake and the other screens."""

from urllib.parse import urlencode

from django.urls import reverse


def order_link(contact_id: int, customer_id: int | None, kind: str = "complaint") -> str:
    """The work-order form for a contact, exactly as the agent desktop opens it for a call."""
    params = {"kind": kind, "contact": contact_id}
    if customer_id:
        params["customer"] = customer_id
    return f"{reverse('workorders:create')}?{urlencode(params)}"
