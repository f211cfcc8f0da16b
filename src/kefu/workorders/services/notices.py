"""Telling people about orders. Written in the caller's transaction."""

from __future__ import annotations

from django.db import connection

from ..models import Notice, WorkOrder
from .holders import Holder, recipients_of


def notify(*, order: WorkOrder, kind: str, text: str, people=None, holder: Holder | None = None) -> int:
    """One notice per person (or, with nobody to name, to the organisation)."""
    rows = [Notice(order=order, kind=kind, recipient_id=person, recipient_org_id=org, text=text[:500])
            for person, org in notice_targets(people=people, holder=holder)]
    Notice.objects.bulk_create(rows)
    return len(rows)


def notice_targets(*, people=None, holder: Holder | None = None, recipients=recipients_of) -> list[tuple]:
    """``(recipient id, recipient organisation id)`` of each notice ``notify`` would write."""
    if people is None:
        people = recipients(holder) if holder is not None else []
    targets: list[tuple[int | None, int | None]] = [(p.pk, None) for p in people]
    if not targets and holder is not None:
        targets = [(None, holder.org.pk)]
    return targets


def notices_insert(rows: list[tuple], *, now) -> None:
    """Write many notices in one round trip: ``(order id, kind, recipient id, organisation id, text)`` each.

    The timer sweep's path: an outage makes thousands of notices at once, and building a
    model instance for each costs more than the database does.
    """
    if not rows:
        return
    table = connection.ops.quote_name(Notice._meta.db_table)
    with connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {table} (order_id, kind, recipient_id, recipient_org_id, text, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s)", [(*r[:4], r[4][:500], now) for r in rows])


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
