"""The one way views and endpoints enforce permissions.

UI views use ``@perm_required("code")``; Ninja endpoints use ``@requires("code")``;
``any_of=True`` lets in a holder of any one of several codes (e.g. search over
articles and cases).
Both ask ``kefu.iam.permissions.has_perm``; tests prove denial for every
endpoint and page (each app's ``tests/test_denial.py``, see ``core.testing.check_door``).
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import NotAuthenticated, NotFound, PermissionDenied


def _check(user, codes: tuple[str, ...]) -> bool:
    from kefu.iam.permissions import has_perm

    return all(has_perm(user, c) for c in codes)


def _check_any(user, codes: tuple[str, ...]) -> bool:
    from kefu.iam.permissions import has_any_perm

    return has_any_perm(user, codes)


def perm_required(*codes: str, any_of: bool = False):
    """UI view decorator: login required, then every code in ``codes`` (or one of them, ``any_of``)."""
    check = _check_any if any_of else _check

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(user, codes):
                # An htmx fragment gets a fragment: a page embedding another app's section stays whole.
                template = "core/partials/_forbidden.html" if request.headers.get("HX-Request") else "core/forbidden.html"
                return render(request, template, {"codes": codes}, status=403)
            return view(request, *args, **kwargs)

        wrapper.kefu_perms = codes  # type: ignore[attr-defined]
        return wrapper

    return decorator


def login_only(view):
    """UI view decorator for pages every logged-in person may see."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.kefu_perms = ()  # type: ignore[attr-defined]
    return wrapper


def api_denial(request, codes: tuple[str, ...], *, any_of: bool = False) -> NotAuthenticated | PermissionDenied | None:
    """Why the API caller of ``request`` may not use an endpoint guarded by ``codes``, or None if they may."""
    user = getattr(request, "auth", None) or request.user
    if user is None or not getattr(user, "is_authenticated", False):
        return NotAuthenticated(_("Log in or present an API token."))
    if not (_check_any if any_of else _check)(user, codes):
        return PermissionDenied(
            _("You lack the permission for this action."),
            details={"required_any" if any_of else "required": list(codes)},
        )
    return None


def requires(*codes: str, any_of: bool = False):
    """Ninja endpoint decorator: raises 401/403 as JSON; every code needed, or one of them (``any_of``).

    The API root asks the same question before it answers a 400 for parameters the view never saw
    (``kefu.api``), so a caller without the permission learns nothing about the fields.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            denial = api_denial(request, codes, any_of=any_of)
            if denial is not None:
                raise denial
            return func(request, *args, **kwargs)

        wrapper.kefu_perms = codes  # type: ignore[attr-defined]
        wrapper.kefu_any_of = any_of  # type: ignore[attr-defined]
        return wrapper

    return decorator


def actor_of(request):
    """The staff member behind a request, by session or API token."""
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "is_authenticated", False):
        return auth
    return request.user


def public(reason: str):
    """Mark an endpoint that authenticates by other means (e.g. a signature).

    The reason is kept on the function so reviews and the guarded-route test can
    see why this door has no login.
    """

    def decorator(func):
        func.kefu_perms = ()  # type: ignore[attr-defined]
        func.kefu_public_reason = reason  # type: ignore[attr-defined]
        return func

    return decorator


def or_404(read, **kwargs):
    """Run a scoped read for a page: a record outside the actor's scope is the same plain 404 as a missing one."""
    try:
        return read(**kwargs)
    except NotFound:
        raise Http404 from None
