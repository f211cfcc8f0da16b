"""What the knowledge views share: turning lookup errors into 404/403 pages."""

import functools

from django.http import Http404
from django.shortcuts import render

from kefu.core.errors import NotFound, PermissionDenied


def lookup_errors(view):
    """A selector's NotFound is a 404 page, its PermissionDenied (an article
    of another organisation) the usual 403 page, not a server error."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied as exc:
            return render(request, "core/forbidden.html", {"reason": str(exc.message)}, status=403)

    return wrapper
