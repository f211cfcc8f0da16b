"""The periodic digest of suggestions to the business department (SPEC §4: 建议定期汇总).

A background job asks ``suggestion_digests_due`` every hour; once a period
(system parameter ``workorders.suggestion_digest.every``, a week by default)
has passed since the last digest, the suggestions created in it — those not
judged invalid nor withdrawn — are gathered by category with counts and their
texts, kept as a ``SuggestionDigest`` and announced to the people of the
business department (parameter ``workorders.suggestion_digest.org``). Periods
follow each other without gaps or overlaps; a period is made once (unique end),
so a job that runs twice, or on two workers, makes it once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create
from kefu.core import clock
from kefu.iam.selectors import staff_active_of
from kefu.orgs.selectors import org_find
from kefu.params.selectors import param_get

from ..kinds import SUGGESTION_CATEGORIES, Kind
from ..models import Notice, State, SuggestionDigest, WorkOrder

if TYPE_CHECKING:
    from kefu.orgs.models import Organisation

#: A worker that was down a long time starts again from the last period instead of replaying them all.
_MAX_CATCH_UP = 8


def suggestion_digests_due(*, now=None) -> int:
    """Make every digest whose period has ended; returns how many were made."""
    now = now or clock.now()
    made = 0
    while made < _MAX_CATCH_UP and suggestion_digest_next(now=now) is not None:
        made += 1
    return made


@transaction.atomic
def suggestion_digest_next(*, now) -> SuggestionDigest | None:
    """The next digest if its period has ended by ``now``, else ``None``."""
    every = param_get("workorders.suggestion_digest.every")
    last = SuggestionDigest.objects.order_by("-period_end").first()
    fresh = last is None or now - last.period_end > every * _MAX_CATCH_UP
    start = now - every if fresh or last is None else last.period_end
    end = start + every
    if end > now:
        return None
    try:
        with transaction.atomic():
            return suggestion_digest_make(period_start=start, period_end=end)
    except IntegrityError:  # another worker made this period a moment ago
        return None


def suggestion_digest_make(*, period_start, period_end, actor="system") -> SuggestionDigest:
    """Gather the period's suggestions by category, keep the digest and tell the business department."""
    orders = (WorkOrder.objects.filter(kind=Kind.SUGGESTION, created_at__gte=period_start, created_at__lt=period_end)
              .exclude(verdict="invalid").exclude(state=State.WITHDRAWN)
              .order_by("category", "created_at", "pk"))  # wo_kind_state_created (kind prefix)
    groups: dict[str, list[dict]] = {}
    for o in orders.only("serial", "title", "description", "category", "verdict", "details"):
        groups.setdefault(o.category or "other", []).append({
            "serial": o.serial, "title": o.title, "text": o.description, "verdict": o.verdict,
            "adoption": (o.details or {}).get("adoption", ""),
        })
    order_of = list(SUGGESTION_CATEGORIES)
    categories = [{"category": c, "count": len(items), "items": items}
                  for c, items in sorted(groups.items(), key=lambda kv: (
                      order_of.index(kv[0]) if kv[0] in order_of else len(order_of), kv[0]))]
    org = _business_department()
    digest = SuggestionDigest.objects.create(org=org, period_start=period_start, period_end=period_end,
                                             total=sum(c["count"] for c in categories), categories=categories)
    audit_create(actor=actor, obj=digest, fields=("org", "period_start", "period_end", "total"))
    if org is not None:
        _announce(digest, org)
    return digest


def _business_department() -> Organisation | None:
    code = (param_get("workorders.suggestion_digest.org") or "").strip()
    return org_find(code=code, active_only=True) if code else None


def _announce(digest: SuggestionDigest, org: Organisation) -> int:
    """A notice to everyone active in the business department (to the department itself if nobody)."""
    text = _("Suggestion digest %(start)s – %(end)s: %(n)d suggestions.") % {
        "start": f"{digest.period_start:%Y-%m-%d}", "end": f"{digest.period_end:%Y-%m-%d}", "n": digest.total}
    people = staff_active_of(org, limit=500)
    rows = [Notice(digest=digest, kind=Notice.Kind.DIGEST, recipient=p, text=text[:500]) for p in people]
    if not rows:
        rows = [Notice(digest=digest, kind=Notice.Kind.DIGEST, recipient_org=org, text=text[:500])]
    Notice.objects.bulk_create(rows)
    return len(rows)
