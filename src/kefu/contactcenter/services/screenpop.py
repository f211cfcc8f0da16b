"""What pops up on the agent's screen with an offer: the customer 360 in brief."""

from __future__ import annotations

from ..models import Contact, Dial, Direction


def screen_pop(contact: Contact, *, shown_to=None) -> dict:
    """The pop for ``contact``. ``shown_to`` (the agent it is pushed to, outside any request) makes
    it a recorded read of the customer's data; the desktop's own reads record theirs in their request."""
    c = contact.customer
    data: dict = {"caller": contact.caller, "channel": contact.channel, "tier": contact.service_tier,
                  "queue": contact.queue.name if contact.queue is not None else "", "ivr_path": contact.ivr_path,
                  "identity_verified": contact.identity_verified, "customer": None}
    if contact.direction == Direction.OUTBOUND:
        data["outbound"] = outbound_brief(contact)
    if c is None:
        return data
    from kefu.workorders.selectors import customer_open_orders

    if shown_to is not None:
        from kefu.audit.reads import audit_read

        audit_read(actor=shown_to, object_type="contactcenter.contact", items=[(contact.pk, f"contact {contact.pk}")],
                   customers=[c.pk], note="screen pop")
    data["customer"] = {
        "id": c.pk, "name": c.name, "tier": c.tier, "vip_level": getattr(c, "vip_level", ""),
        "subscribers": [{"number": s.number, "brand": s.brand, "status": s.status}
                        for s in c.subscribers.all()[:5]],
        "balance": str(sum((a.balance for a in c.accounts.all()[:5]), start=0)),
        "recent_contacts": [{"at": x.started_at.isoformat(), "channel": x.channel, "disposition": x.disposition}
                            for x in Contact.objects.filter(customer=c).exclude(pk=contact.pk)
                            .order_by("-started_at")[:5]],
        "open_orders": [{"serial": o.serial, "kind": o.kind, "title": o.title, "station": o.station}
                        for o in customer_open_orders(c.pk)],
    }
    return data


def outbound_brief(contact: Contact) -> dict | None:
    """For a call Kefu places: what it is for and why (a callback's preview), and where its dial stands."""
    dial = Dial.objects.select_related("callback").filter(contact=contact).first()
    if dial is None:
        return None
    from .purposes import purpose_brief

    cb = dial.callback
    out = {"purpose": dial.purpose, "number": dial.number, "attempt": dial.attempt, "state": dial.state,
           "outcome": dial.outcome, "reason": "", "requested_at": None, "last_outcome": "", "max_attempts": None,
           "detail": purpose_brief(dial)}
    if cb is not None:
        from kefu.params.selectors import param_get

        out.update(reason=cb.reason, requested_at=cb.requested_at.isoformat(), last_outcome=cb.last_outcome,
                   max_attempts=int(param_get("contactcenter.callback.max_attempts")))
    return out
