"""The REST API root: authentication, error format, routers of every app.

Errors are always JSON ``{"code", "message", "details"}`` with a 4xx status;
see docs/decisions/0004-api-errors.md, and 0018-api-input-hardening.md for
the input classes refused here and in ``kefu.core`` before any view runs.
"""

import functools
import importlib

from django.apps import apps
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

import kefu
from kefu.core import messages
from kefu.core.access import api_denial
from kefu.core.errors import KefuError
from kefu.core.openapi import document_errors
from kefu.iam.auth import TokenAuth


class KefuAPI(NinjaAPI):
    """Ninja's API, whose OpenAPI document also names each operation's error answers."""

    _errors_documented = False

    def get_openapi_schema(self, *args, **kwargs):
        if not self._errors_documented:
            document_errors(
                operation
                for bound in self._get_bound_routers()
                for path_view in bound.path_operations.values()
                for operation in path_view.operations
            )
            self._errors_documented = True
        return super().get_openapi_schema(*args, **kwargs)


api = KefuAPI(
    title="Kefu API",
    version=kefu.__version__,
    description="Kefu customer service center. Authenticate with a session (browser, CSRF token "
    "required) or `Authorization: Bearer <token>` (integrations).",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, code: str, message, details=None):
    return api.create_response(
        request, {"code": code, "message": str(message), "details": details}, status=status
    )


def _remember_operation(run):
    """Keeps the operation on the request, so an input error can ask its permission first."""
    operation = getattr(run, "__self__", None)

    @functools.wraps(run)
    def run_operation(request, *args, **kwargs):
        request.kefu_operation = operation
        return run(request, *args, **kwargs)

    return run_operation


api.add_decorator(_remember_operation, mode="view")


def _denied_first(request):
    """401/403 for a caller the operation would refuse anyway, before any answer about the input.

    Ninja parses parameters and body before the view (and its ``@requires``) runs; without this an
    agent lacking the right would get a 400 listing the fields of an endpoint closed to them.
    Authentication itself already ran: a missing login is a 401 before parsing.
    """
    operation = getattr(request, "kefu_operation", None)
    codes = getattr(getattr(operation, "view_func", None), "kefu_perms", None)
    if codes is None or getattr(operation.view_func, "kefu_public_reason", None):
        return None
    denial = api_denial(request, codes, any_of=getattr(operation.view_func, "kefu_any_of", False))
    if denial is None:
        return None
    return _error(request, denial.status, denial.code, denial.message, denial.details)


@api.exception_handler(KefuError)
def _kefu_error(request, exc: KefuError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    denied = _denied_first(request)
    if denied is not None:
        return denied
    details = []
    for err in exc.errors:
        details.append(
            {"field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None, "message": err.get("msg", "")}
        )
    return _error(request, 400, "invalid", messages.INVALID_REQUEST, details)


@api.exception_handler(OverflowError)
def _number_out_of_range(request, exc: OverflowError):
    # SQLite's driver cannot bind an integer beyond 64 bits (an id of 20 digits in a filter or body);
    # PostgreSQL compares such a number and finds nothing. Either way it is the client's number.
    return _error(request, 400, "invalid", messages.NUMBER_OUT_OF_RANGE)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _error(request, 401, "not_authenticated", messages.NOT_AUTHENTICATED)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", messages.NOT_FOUND)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # Ninja's only 400 here: a body that is not parseable JSON
        denied = _denied_first(request)
        if denied is not None:
            return denied
        return _error(request, 400, "invalid", messages.BAD_JSON, {"reason": str(exc)})
    if exc.status_code == 403:  # Ninja's only 403: session authentication without a valid CSRF token
        return _error(request, 403, "csrf_failed", messages.CSRF_FAILED)
    return _error(request, exc.status_code, "http_error", str(exc))


@api.get("/version", auth=None, tags=["system"], summary="Running version")
def version(request):
    return {"name": "kefu", "version": kefu.__version__}


class ChangelogSectionOut(Schema):
    title: str
    entries: list[str]


class ChangelogVersionOut(Schema):
    version: str
    date: str | None = None
    sections: list[ChangelogSectionOut]


class ChangelogOut(Schema):
    current: str
    versions: list[ChangelogVersionOut]


@api.get("/changelog", auth=None, response=ChangelogOut, tags=["system"], summary="Change log, newest first")
def changelog(request):
    from dataclasses import asdict

    from kefu.core.changelog import changelog as read

    return {"current": kefu.__version__, "versions": [asdict(v) for v in read()]}


def _mount_routers() -> None:
    """Each app exposes ``router`` in ``api.py``; mounted under its label."""
    for config in apps.get_app_configs():
        if not config.name.startswith("kefu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{config.label}/", router)


_mount_routers()
