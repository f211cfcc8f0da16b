"""Paging for list pages (the API uses Ninja's PageNumberPagination)."""

from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 25


def paginate(request, queryset, *, per_page: int = DEFAULT_PER_PAGE):
    """The requested page of ``queryset`` (``?page=N``), clamped to what exists."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
