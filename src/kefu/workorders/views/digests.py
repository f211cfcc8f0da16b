"""Suggestion digest pages: the list, and one digest by category with counts and texts."""

from django.shortcuts import render

from kefu.core.access import perm_required
from kefu.core.pagination import paginate

from .. import selectors
from ..kinds import ADOPTION_OUTCOMES, SUGGESTION_VERDICTS


@perm_required("workorders.order.view")
def digest_list(request):
    page = paginate(request, selectors.suggestion_digest_list(actor=request.user))
    return render(request, "workorders/digests.html", {"page": page})


@perm_required("workorders.order.view")
def digest_detail(request, digest_id):
    digest = selectors.suggestion_digest_get(actor=request.user, digest_id=digest_id)
    rows = selectors.suggestion_digest_rows(digest)
    for c in rows:
        for item in c["items"]:
            item["verdict_label"] = SUGGESTION_VERDICTS.get(item.get("verdict", ""), "")
            item["adoption_label"] = ADOPTION_OUTCOMES.get(item.get("adoption", ""), "")
    return render(request, "workorders/digest.html", {"digest": digest, "categories": rows})
