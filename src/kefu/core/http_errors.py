"""Error answers outside the Ninja views: JSON under ``/api/``, the ordinary page elsewhere.

Django answers some requests before (or instead of) a Ninja operation: an
unknown URL (404), a refused CSRF token (403), a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), a crash (500), and the request guard of
``kefu.core.middleware``. An API client gets the same
``{"code", "message", "details"}`` body as every other API error
(docs/decisions/0004-api-errors.md); a person in the browser gets a page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure

from . import messages

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return (request.path_info or request.path).startswith(API_PREFIX)


def json_error(status: int, code: str, message: Any, details: Any = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message), "details": details}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def plain_page(status: int, message: Any) -> HttpResponse:
    """A bare page: it may answer before sessions, users or translations are set up."""
    from django.utils.html import escape

    html = f"<!doctype html><html><body><h1>{status}</h1><p>{escape(str(message))}</p></body></html>"
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def error_response(request: HttpRequest, status: int, code: str, message: Any, details: Any = None):
    if is_api(request):
        return json_error(status, code, message, details)
    return plain_page(status, message)


# --- handlers named in kefu/urls.py and settings.CSRF_FAILURE_VIEW -------------------------------------------


def bad_request(request, exception=None):
    if is_api(request):
        return json_error(400, "invalid", messages.BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return json_error(403, "permission_denied", messages.PERMISSION_DENIED)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return json_error(404, "not_found", messages.NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return json_error(500, "server_error", messages.SERVER_ERROR)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return json_error(403, "csrf_failed", messages.CSRF_FAILED)
    return django_csrf_failure(request, reason)
