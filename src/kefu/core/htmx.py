"""htmx helpers: the same view answers full pages and partials."""


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def template_for(request, full: str, partial: str) -> str:
    return partial if is_htmx(request) else full
