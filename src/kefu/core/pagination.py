"""Paging: ``Pagination`` for every paginated API list, ``paginate`` for list pages.

Page numbers come from the client; an unbounded one makes an offset past what
the database's integers hold ("bigint out of range" on PostgreSQL). The API
refuses a page or page size outside its bounds with a 400; list pages clamp
whatever they are given to a page that exists.
"""

from django.core.paginator import Paginator
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

DEFAULT_PER_PAGE = 25
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    """Ninja's page-number paging with bounded ``page`` and ``page_size``; use ``@paginate(Pagination)``."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"Page number, 1 to {MAX_PAGE}.")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE,
                                      description=f"Items per page, 1 to {MAX_PAGE_SIZE}.")

    def __init__(self, page_size: int | None = None, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        if page_size is None:
            super().__init__(max_page_size=max_page_size, **kwargs)
        else:
            super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)


def _page_number(raw) -> int:
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(request, queryset, *, per_page: int = DEFAULT_PER_PAGE):
    """The requested page of ``queryset`` (``?page=N``), clamped to what exists."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(_page_number(request.GET.get("page")))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
