"""Suggestion digests for the business department (read only; the worker makes them)."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination

from .. import selectors

router = Router()


class DigestItemOut(Schema):
    serial: str
    title: str
    text: str
    verdict: str
    adoption: str = ""


class DigestCategoryOut(Schema):
    category: str
    label: str
    count: int
    items: list[DigestItemOut]


class DigestRowOut(Schema):
    id: int
    org: str | None
    period_start: datetime
    period_end: datetime
    total: int
    created_at: datetime


class DigestOut(DigestRowOut):
    categories: list[DigestCategoryOut]


def _row(d) -> dict:
    return {"id": d.pk, "org": d.org.code if d.org_id else None, "period_start": d.period_start,
            "period_end": d.period_end, "total": d.total, "created_at": d.created_at}


@router.get("/suggestion-digests", response=list[DigestRowOut], summary="Suggestion digests, newest first")
@requires("workorders.order.view")
@paginate(Pagination)
def digest_list(request):
    return [_row(d) for d in selectors.suggestion_digest_list(actor=actor_of(request))[:500]]


@router.get("/suggestion-digests/{digest_id}", response=DigestOut,
            summary="One suggestion digest: by category, with counts and texts")
@requires("workorders.order.view")
def digest_get(request, digest_id: int):
    d = selectors.suggestion_digest_get(actor=actor_of(request), digest_id=digest_id)
    return {**_row(d), "categories": selectors.suggestion_digest_rows(d)}
