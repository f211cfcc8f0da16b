from __future__ import annotations

import re

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseNotAllowed

from . import context, http_errors, messages

# A JSON escape of NUL at any depth of nesting: ``\u0000`` in a string, ``\\u0000`` in a JSON document held
# in a string, and so on. Form and query values are checked for the same text once decoded, because some
# hold JSON themselves (the template and IVR editors post their definitions as a form field). No field of
# Kefu has a use for that text.
_ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
_ESCAPED_NUL_TEXT = "\\u0000"
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def client_ip(request) -> str:
    # Only REMOTE_ADDR is trusted; a deployment behind a proxy sets it with the
    # proxy's own real-IP module, never by trusting a client header here.
    return request.META.get("REMOTE_ADDR", "") or ""


def _has_nul(values) -> bool:
    return any("\x00" in v for v in values if isinstance(v, str))


def _fields_have_nul(fields) -> bool:
    """``fields``: a QueryDict; keys and values, raw NUL or its JSON escape."""
    return any(
        "\x00" in key or _ESCAPED_NUL_TEXT in key or any("\x00" in v or _ESCAPED_NUL_TEXT in v for v in values)
        for key, values in fields.lists()
    )


def _nul_location(request) -> str | None:
    """Where a NUL character hides in the request, if anywhere.

    PostgreSQL refuses NUL in text and in jsonb ("text fields cannot contain NUL", "unsupported Unicode
    escape"), SQLite silently truncates at it; neither is a value a person types.
    """
    if "\x00" in request.path:
        return "path"
    if _fields_have_nul(request.GET):
        return "query"
    if _has_nul(v for k, v in request.META.items() if k.startswith("HTTP_")):
        return "header"
    if request.method not in _BODY_METHODS:
        return None
    if request.content_type == "multipart/form-data":
        # Files are data and may hold any byte; the form fields and file names are text.
        if _fields_have_nul(request.POST) or _has_nul(f.name for f in request.FILES.values()):
            return "body"
        return None
    body = request.body
    if b"\x00" in body or _ESCAPED_NUL.search(body):
        return "body"
    if request.content_type == "application/x-www-form-urlencoded" and _fields_have_nul(request.POST):
        return "body"
    return None


class RequestGuardMiddleware:
    """Refuses, before any view or query, input that no field can hold.

    One place for the whole class: a NUL character in the path, the query string, a header or the body
    (JSON, form or multipart fields) is a 400; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a 413. API
    paths get the JSON error format, pages a plain error page (``kefu.core.http_errors``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            where = _nul_location(request)
        except RequestDataTooBig:
            return http_errors.error_response(request, 413, "too_large", messages.TOO_LARGE)
        if where:
            return http_errors.error_response(request, 400, "invalid", messages.NUL_CHARACTER, {"location": where})
        return self.get_response(request)


class ApiErrorFormatMiddleware:
    """The one error Ninja answers in plain text, a wrong method (405), in the API's JSON error format.

    Unknown URLs, CSRF failures and crashes take Django's handlers (``kefu.core.http_errors``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and http_errors.is_api(request):
            allowed = response["Allow"]
            response = http_errors.json_error(405, "method_not_allowed", messages.METHOD_NOT_ALLOWED,
                                              {"allowed": [m.strip() for m in allowed.split(",")]})
            response["Allow"] = allowed
        return response


class RequestContextMiddleware:
    """Publishes the caller's address and channel for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        meta = context.RequestMeta(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            channel=channel,
        )
        token = context.set_meta(meta)
        try:
            return self.get_response(request)
        finally:
            context.reset_meta(token)
