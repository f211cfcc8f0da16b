"""Every API endpoint and every UI view declares its permission check.

A route without ``@requires``/``@perm_required``/``@login_only`` would be an
unguarded door; this test finds one as soon as it is added.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from kefu.core.testing import api_operations

PUBLIC_API = {"version", "changelog"}  # what runs, and what changed in it: no secret
PUBLIC_VIEWS = {"iam:login", "iam:logout", "core:healthz", "set_language"}


def test_every_api_operation_requires_a_permission_or_login():
    unguarded, seen = [], 0
    for path, op in api_operations():
        seen += 1
        name = op.view_func.__name__
        if name in PUBLIC_API:
            continue
        if not hasattr(op.view_func, "kefu_perms"):
            unguarded.append(f"{','.join(op.methods)} {path} ({name})")
    assert seen > 20, "the walk found too few operations to be trusted"
    assert not unguarded, f"endpoints without @requires: {unguarded}"


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns == "api":
                continue
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.callback


def test_every_ui_view_is_guarded():
    unguarded = [
        name for name, cb in _walk(get_resolver().url_patterns)
        if name not in PUBLIC_VIEWS and not hasattr(cb, "kefu_perms")
    ]
    assert not unguarded, f"views without @perm_required/@login_only: {unguarded}"
