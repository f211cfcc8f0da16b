"""Telling people about orders. Written in the caller's transaction."""

from __future__ import annotations

from ..models import Notice, WorkOrder
from .holders import Holder, recipients_of


def notify(*, order: WorkOrder, kind: str, text: str, people=None, holder: Holder | None = None) -> int:
    """One notice per person (or, with nobody to name, to the organisation)."""
    if people is None:
        people = recipients_of(holder) if holder is not None else []
    rows = [Notice(order=order, kind=kind, recipient=p, text=text[:500]) for p in people]
    if not rows and holder is not None:
        rows = [Notice(order=order, kind=kind, recipient_org=holder.org, text=text[:500])]
    Notice.objects.bulk_create(rows)
    return len(rows)
