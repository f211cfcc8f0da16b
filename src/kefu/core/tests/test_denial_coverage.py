"""Every API operation and every UI URL pattern has a row in some app's denial table.

The tables are the ``DOORS`` lists of ``kefu/<app>/tests/test_denial.py`` (checked by ``core.testing.check_door``).
A door without a row fails here, so a new endpoint cannot ship without its denial test. Doors that do not
authenticate by login are listed below with the reason, or carry it themselves (``core.access.public``,
e.g. the signed forwarding callbacks); their own tests cover them.
"""

import importlib
import re

from django.apps import apps
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from kefu.core.testing import api_operations

#: (method, path shape) → why the door has no denial row.
EXEMPT_API = {
    ("get", "/api/version"): "public: the running version, shown before login",
    ("get", "/api/changelog"): "public: the change log of the running version, like the version itself",
}
#: URL name → why the view has no denial row.
EXEMPT_VIEWS = {
    "iam:login": "the door to log in itself",
    "iam:logout": "logging out is allowed to anyone, logged in or not",
    "core:healthz": "public: the load balancer's health probe",
    "set_language": "Django's language switch, before and after login",
}


def _tables():
    doors = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kefu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_denial")
        except ModuleNotFoundError as exc:
            if not f"{config.name}.tests.test_denial".startswith(exc.name or "-"):
                raise
            continue
        doors.extend(module.DOORS)
    return doors


def _shape(route: str) -> str:
    route = re.sub(r"<[^>]*>|\{[^}]*\}", "{}", route)
    return "/" + re.sub(r"/+", "/", route).lstrip("/")


def _route(door) -> str:
    """The URL pattern a row's path reaches, as Django resolves it (placeholders filled with 1)."""
    try:
        return _shape(resolve(re.sub(r"\{[^}]*\}", "1", door.path.split("?")[0])).route)
    except Resolver404:
        return f"no route: {door.path}"


def _api_operations():
    for path, op in api_operations():
        if getattr(op.view_func, "kefu_public_reason", None):
            continue  # signed doors (see core.access.public): their tests prove the signature check
        for method in op.methods:
            yield method.lower(), _shape("/api/" + path)


def _views(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns == "api":
                continue
            yield from _views(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            if getattr(p.callback, "kefu_public_reason", None):
                continue  # public pages (see core.access.public), e.g. the customers' chat: their own tests cover them
            yield (f"{namespace}:{p.name}" if namespace else p.name), _shape(prefix + str(p.pattern))


def test_every_api_operation_has_a_denial_row():
    rows = {(d.method, _route(d)) for d in _tables() if d.is_api}
    operations = set(_api_operations())
    assert len(operations) > 100, "the walk found too few operations to be trusted"
    missing = sorted(op for op in operations if op not in rows and op not in EXEMPT_API)
    assert not missing, f"API operations without a denial row: {missing}"
    stale = sorted(rows - operations)
    assert not stale, f"denial rows naming no operation: {stale}"


def test_every_ui_view_has_a_denial_row():
    rows = {_route(d) for d in _tables() if not d.is_api}
    views = dict(_views(get_resolver().url_patterns))
    missing = sorted(name for name, shape in views.items() if shape not in rows and name not in EXEMPT_VIEWS)
    assert not missing, f"UI views without a denial row: {missing}"
    stale = sorted(rows - set(views.values()))
    assert not stale, f"denial rows naming no view: {stale}"

