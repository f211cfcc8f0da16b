"""My API tokens: create (the secret is shown once, on this answer only), list, revoke.

With ``iam.token.manage_all`` the page also lists everyone's tokens in scope.
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page

from .. import selectors
from ..forms import TokenForm
from ..services import tokens as token_services
from .common import can, or_404


def _render(request, *, status=200, form=None, created=None, secret=""):
    everyone = request.GET.get("everyone") == "1" and can(request, selectors.MANAGE_ALL_TOKENS)
    page = paginate(request, selectors.token_list(actor=request.user, everyone=everyone))
    return render(request, "iam/token_list.html", {
        "page": page, "qs": querystring_without_page(request), "everyone": everyone,
        "can_manage_all": can(request, selectors.MANAGE_ALL_TOKENS),
        "form": form or TokenForm(), "created": created, "secret": secret,
    }, status=status)


@perm_required("iam.token.manage")
def token_list(request):
    return _render(request)


@perm_required("iam.token.manage")
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        expires = form.cleaned_data["expires_at"]
        expires_at = None
        if expires:  # valid through the whole chosen day, local time
            expires_at = timezone.make_aware(datetime.combine(expires, time.min)) + timedelta(days=1)
        try:
            token, secret = token_services.api_token_create(actor=request.user, name=form.cleaned_data["name"],
                                                            expires_at=expires_at)
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"invalid_expiry": "expires_at", "required": "name"})
            return _render(request, status=exc.status, form=form)
        # Rendered, not redirected: the secret must not be kept in a session or message store.
        return _render(request, status=201, created=token, secret=secret)
    return _render(request, status=400, form=form)


@perm_required("iam.token.manage")
@require_POST
def token_revoke(request, token_id):
    token = or_404(selectors.token_get, actor=request.user, token_id=token_id)
    token_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    url = reverse("iam:token_list")
    return redirect(f"{url}?everyone=1" if request.POST.get("everyone") == "1" else url)
