"""The REST API root: authentication, error format, routers of every app.

Errors are always JSON ``{"code", "message", "details"}`` with a 4xx status;
see docs/decisions/0004-api-errors.md.
"""

import importlib

from django.apps import apps
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

import kefu
from kefu.core import messages
from kefu.core.errors import KefuError
from kefu.core.openapi import document_errors
from kefu.iam.auth import TokenAuth

api = NinjaAPI(
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


@api.exception_handler(KefuError)
def _kefu_error(request, exc: KefuError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    details = []
    for err in exc.errors:
        details.append(
            {"field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None, "message": err.get("msg", "")}
        )
    return _error(request, 400, "invalid", messages.INVALID_REQUEST, details)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _error(request, 401, "not_authenticated", messages.NOT_AUTHENTICATED)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", messages.NOT_FOUND)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # Ninja's only 400 here: a body that is not parseable JSON
        return _error(request, 400, "invalid", messages.BAD_JSON, {"reason": str(exc)})
    return _error(request, exc.status_code, "http_error", str(exc))


@api.get("/version", auth=None, tags=["system"], summary="Running version")
def version(request):
    return {"name": "kefu", "version": kefu.__version__}


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
    document_errors(
        operation
        for bound in api._get_bound_routers()
        for path_view in bound.path_operations.values()
        for operation in path_view.operations
    )


_mount_routers()
