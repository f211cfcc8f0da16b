"""The error answers of every API operation, documented from what the code can raise.

Ninja documents only the success answer of an operation. A client generator also needs the 4xx ones, and
each with the one error format ``{"code", "message", "details"}`` (``ErrorOut``). Rather than a list kept
by hand beside each endpoint (which drifts), ``document_errors`` derives them when the routers are mounted:

- 401 for an operation behind authentication, 403 for one guarded by ``@requires`` or one that changes
  something and accepts a browser session (CSRF);
- 400 for one that takes parameters or a body (validation), 413 for one that takes a body (size limit),
  404 for one with path parameters (an unknown or out-of-scope id);
- plus the status of every ``KefuError`` (and ``Http404``) the handler can raise, found by reading the
  source of the handler and of the Kefu functions it calls, transitively (``raise Conflict(...)`` → 409,
  ``raise Locked(...)`` → 423, ``raise _stale()`` where ``_stale`` returns a ``Conflict`` → 409 …).

The API fuzz test (``core/tests/test_api_fuzz.py``) checks the other direction: every status an operation
answers is documented.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.http import Http404
from ninja import Schema

from .errors import KefuError


class ErrorOut(Schema):
    """Every error answer of the API (see docs/decisions/0004-api-errors.md)."""

    code: str
    message: str
    details: Any = None


BODY_SOURCES = ("body", "form", "file")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _resolve(node: ast.expr, scope: dict[str, Any]) -> Any:
    """The object a name or dotted attribute refers to in a module's globals, or None."""
    if isinstance(node, ast.Name):
        return scope.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, scope)
        if base is None:
            return None
        try:
            return inspect.getattr_static(base, node.attr)
        except AttributeError:
            return None
    return None


def _status_of(obj: Any) -> int | None:
    if isinstance(obj, type):
        if issubclass(obj, KefuError):
            return obj.status
        if issubclass(obj, Http404):
            return 404
    return None


def _function(obj: Any) -> Callable | None:
    if isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    obj = inspect.unwrap(obj) if callable(obj) else obj
    if inspect.isfunction(obj) and (obj.__module__ or "").startswith("kefu."):
        return obj
    return None


def _tree(func: Callable) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return None


def _local_imports(func: Callable, tree: ast.AST) -> dict[str, Any]:
    """Names bound by imports inside the function (``from kefu.x.selectors import order_get``)."""
    names: dict[str, Any] = {}
    package = func.__module__.rpartition(".")[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or (node.level == 0 and not (node.module or "").startswith("kefu")):
            continue
        base = "." * node.level + (node.module or "")
        try:
            module = importlib.import_module(base, package if node.level else None)
        except ImportError:
            continue
        for alias in node.names:
            value = getattr(module, alias.name, None)
            if value is None:
                try:
                    value = importlib.import_module(f"{module.__name__}.{alias.name}")
                except ImportError:
                    continue
            names[alias.asname or alias.name] = value
    return names


@cache
def _returned_errors(func: Callable) -> frozenset[int]:
    """Statuses of the errors a factory such as ``_stale()`` returns (``raise _stale()``)."""
    tree = _tree(func)
    if tree is None:
        return frozenset()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            status = _status_of(_resolve(node.value.func, func.__globals__))
            if status:
                found.add(status)
    return frozenset(found)


def raised_statuses(func: Callable) -> frozenset[int]:
    """Statuses of the Kefu errors ``func`` and the Kefu functions it calls can raise."""
    root = _function(func) or inspect.unwrap(func)
    found: set[int] = set()
    seen: set[Callable] = set()
    todo = [root]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        statuses, callees = _direct(current)
        found.update(statuses)
        todo.extend(c for c in callees if c not in seen)
    return frozenset(found)


@cache
def _direct(func: Callable) -> tuple[frozenset[int], tuple[Callable, ...]]:
    """What one function raises itself, and the Kefu functions it calls (each read once)."""
    tree = _tree(func)
    if tree is None:
        return frozenset(), ()
    scope = {**func.__globals__, **_local_imports(func, tree)}
    found: set[int] = set()
    callees: list[Callable] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            obj = _resolve(target, scope)
            status = _status_of(obj)
            if status:
                found.add(status)
            elif (factory := _function(obj)) is not None:
                found.update(_returned_errors(factory))
        elif isinstance(node, ast.Call):
            callee = _function(_resolve(node.func, scope))
            if callee is not None and callee is not func:
                callees.append(callee)
    return frozenset(found), tuple(callees)


def operation_error_statuses(operation) -> set[int]:
    """The 4xx statuses one Ninja operation can answer (see the module docstring)."""
    statuses: set[int] = set()
    view = operation.view_func
    if operation.auth_callbacks:
        statuses.add(401)
    if getattr(view, "kefu_perms", ()):
        statuses.update((401, 403))
    if set(operation.methods) - SAFE_METHODS and any(
        getattr(auth, "csrf", False) for auth in operation.auth_callbacks or ()
    ):
        statuses.add(403)  # a browser session without a valid CSRF token
    sources = {model.__ninja_param_source__ for model in operation.models}
    if sources:
        statuses.add(400)
    if sources & set(BODY_SOURCES):
        statuses.add(413)
    if "{" in operation.path:
        statuses.add(404)
    statuses.update(raised_statuses(view))
    return {s for s in statuses if 400 <= s < 500}


def document_errors(operations: Iterable) -> None:
    """Add ``ErrorOut`` answers for the error statuses of each operation.

    Run once, before the first OpenAPI document is generated (reading the source of every handler takes
    a moment that a worker starting up should not spend). Handlers never return an error status
    themselves (errors are raised and rendered by the API root), so the added models change no answer.
    """
    for operation in operations:
        model = operation._create_response_model(ErrorOut)
        for status in sorted(operation_error_statuses(operation)):
            operation.response_models.setdefault(status, model)
