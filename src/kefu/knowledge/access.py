"""Guards that let in anyone holding *any* of several permissions.

Search serves articles, cases or both, so it must let in a person holding
*either* view permission and then show only what each allows
(``visibility.access_of``). ``kefu.core.access`` only has "all of"; these
mirror its decorators (same ``kefu_perms`` marker for the guarded-route test).
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.core.errors import NotAuthenticated, PermissionDenied
from kefu.iam.permissions import has_any_perm


def perm_any_required(*codes: str):
    """UI view decorator: login required, then at least one of ``codes``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_any_perm(request.user, codes):
                return render(request, "core/forbidden.html", {"codes": codes}, status=403)
            return view(request, *args, **kwargs)

        wrapper.kefu_perms = codes  # type: ignore[attr-defined]
        return wrapper

    return decorator


def requires_any(*codes: str):
    """Ninja endpoint decorator: 401 without login, 403 without any of ``codes``."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            user = getattr(request, "auth", None) or request.user
            if user is None or not getattr(user, "is_authenticated", False):
                raise NotAuthenticated(_("Log in or present an API token."))
            if not has_any_perm(user, codes):
                raise PermissionDenied(
                    _("You lack the permission for this action."), details={"required_any": list(codes)}
                )
            return func(request, *args, **kwargs)

        wrapper.kefu_perms = codes  # type: ignore[attr-defined]
        return wrapper

    return decorator
