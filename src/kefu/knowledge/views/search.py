"""The knowledge search page, and the compact result list other pages embed."""

from django.shortcuts import render

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.htmx import template_for

from .. import selectors
from ..forms import SearchForm
from ..visibility import ARTICLE_EDIT, ARTICLE_VIEW, CASE_EDIT, CASE_VIEW, access_of

ANY_READ = (ARTICLE_VIEW, ARTICLE_EDIT, CASE_VIEW, CASE_EDIT)
COMPACT_MAX = 10


def _page(value) -> int:
    try:
        return max(1, min(int(value), 10000))
    except (TypeError, ValueError):
        return 1


@perm_required(*ANY_READ, any_of=True)
def search(request):
    """One box over articles and cases; htmx swaps only the results."""
    access = access_of(request.user)
    form = SearchForm(request.GET or None, articles=access.articles, cases=access.cases)
    results, error = None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        try:
            results = selectors.knowledge_search(
                actor=request.user, q=data["q"], kind=data["kind"] or "all", category=data["category"],
                page=_page(request.GET.get("page")),
            )
        except KefuError as exc:
            error = str(exc.message)
    elif form.is_bound and not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    params = request.GET.copy()
    params.pop("page", None)
    template = template_for(request, "knowledge/search.html", "knowledge/partials/_results.html")
    return render(request, template, {"form": form, "results": results, "error": error, "qs": params.urlencode()})


@perm_required(*ANY_READ, any_of=True)
def search_partial(request):
    """A compact result list to embed with htmx in other pages (the work-order
    page, the agent desktop), e.g.::

        <div hx-get="/knowledge/search/partial/?q=国际漫游&limit=5" hx-trigger="load"></div>

    Query parameters:

    - ``q``: the search words (required; without it the fragment is a hint);
    - ``kind``: ``all`` (default), ``article`` or ``case``;
    - ``category``: ``product``, ``tariff``, ``procedure`` or ``other`` (default: all);
    - ``limit``: how many results, 1–10 (default 5).

    Answers an HTML fragment (no page shell): titles linking to the article
    or case (opening in a new tab, so the host page keeps its state) with a
    highlighted snippet, and a link to the full search. The same permission
    and visibility rules as the search page apply.
    """
    q = (request.GET.get("q") or "").strip()[:200]
    kind = request.GET.get("kind") or "all"
    category = request.GET.get("category") or ""
    try:
        limit = max(1, min(int(request.GET.get("limit", 5)), COMPACT_MAX))
    except ValueError:
        limit = 5
    results, error = None, ""
    if q:
        try:
            results = selectors.knowledge_search(actor=request.user, q=q, kind=kind, category=category,
                                                 per_page=limit)
        except KefuError as exc:
            error = str(exc.message)
    return render(request, "knowledge/partials/_compact.html", {
        "q": q, "kind": kind, "category": category, "results": results, "error": error,
    })
