"""Knowledge API, mounted at /api/knowledge/: search, articles, cases."""

from ninja import Router

from . import articles, cases, search

router = Router(tags=["knowledge"])
router.add_router("", search.router)
router.add_router("", articles.router)
router.add_router("", cases.router)
