from ninja import Query, Router

from kefu.core.access import actor_of, requires

from .. import selectors
from ..visibility import ARTICLE_EDIT, ARTICLE_VIEW, CASE_EDIT, CASE_VIEW
from .schemas import SearchOut, SearchQuery

router = Router()


@router.get("/search", response=SearchOut, summary="Full-text search of articles and cases")
@requires(ARTICLE_VIEW, ARTICLE_EDIT, CASE_VIEW, CASE_EDIT, any_of=True)
def knowledge_search(request, params: Query[SearchQuery]):
    """Chinese works without spaces (character bigrams). Every term must occur;
    when no document holds them all, close matches come back with
    ``approximate: true``. Readers get only published, currently valid
    documents; editors all. ``title_html`` and ``snippet`` are safe HTML."""
    results = selectors.knowledge_search(
        actor=actor_of(request), q=params.q, kind=params.kind, category=params.category, page=params.page,
        per_page=params.page_size,
    )
    return {
        "query": results.query, "count": results.total, "page": results.page, "page_size": results.per_page,
        "pages": results.num_pages, "approximate": results.approximate,
        "items": [
            {"kind": h.kind, "id": h.id, "title": h.title, "title_html": str(h.title_html),
             "snippet": str(h.snippet), "score": h.score, "category": h.category,
             "category_label": h.category_label, "status": h.status, "live": h.live}
            for h in results.hits
        ],
    }
