"""Telling people about orders. Written in the caller's transaction."""

from __future__ import annotations

from ..models import Notice, WorkOrder
from .holders import Holder, recipients_of


def notify(*, order: WorkOrder, kind: str, text: str, people=None, holder: Holder | None = None) -> int:
    """One notice per person (or, with nobody to name, to the organisation)."""
    rows = notice_rows(order=order, kind=kind, text=text, people=people, holder=holder)
    Notice.objects.bulk_create(rows)
    return len(rows)


def notice_rows(*, order: WorkOrder, kind: str, text: str, people=None, holder: Holder | None = None,
                recipients=recipients_of) -> list[Notice]:
    """The notices ``notify`` writes, unwritten: the timer sweep gathers a batch's and writes them at once."""
    if people is None:
        people = recipients(holder) if holder is not None else []
    rows = [Notice(order=order, kind=kind, recipient=p, text=text[:500]) for p in people]
    if not rows and holder is not None:
        rows = [Notice(order=order, kind=kind, recipient_org=holder.org, text=text[:500])]
    return rows


def notices_mark_read(*, actor, order: WorkOrder | None = None, notice_id: int | None = None) -> int:
    """Mark the actor's unread notices read: those about ``order``, or the one ``notice_id``.

    Only the recipient's own notices change; the number of notices marked is returned.
    """
    from kefu.core import clock

    qs = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if order is not None:
        qs = qs.filter(order=order)
    if notice_id is not None:
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=clock.now())
