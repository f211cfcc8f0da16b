"""The parameter page: every parameter grouped, each row its own htmx form.

A save or reset answers with the re-rendered row (with the error message in
it when the value is refused, and a 4xx status that ``params.js`` lets htmx
swap in); without htmx the same posts redirect back to the page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.htmx import is_htmx
from kefu.iam.permissions import has_perm

from . import selectors, services


def _version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _row(request, key: str, *, error: str = "", saved: str = "", typed: str | None = None, status: int = 200):
    state = selectors.param_state(key)
    return render(request, "params/partials/_param.html", {
        "s": state, "can_edit": True, "error": error, "saved": saved,
        "typed": typed if typed is not None else state.input_value,
    }, status=status)


def _done(request, key: str, message: str):
    if is_htmx(request):
        return _row(request, key, saved=message)
    messages.success(request, message)
    return redirect(reverse("params:list") + f"#param-{key}")


def _failed(request, key: str, exc: KefuError, typed: str | None):
    if is_htmx(request):
        return _row(request, key, error=str(exc.message), typed=typed, status=exc.status)
    messages.error(request, f"{key}: {exc.message}")
    return redirect(reverse("params:list") + f"#param-{key}")


def _definition_or_404(key: str):
    try:
        return selectors.param_definition(key)
    except NotFound:
        raise Http404 from None


@perm_required("params.param.view")
def param_list(request):
    return render(request, "params/list.html", {
        "groups": selectors.param_groups(),
        "can_edit": has_perm(request.user, "params.param.edit"),
    })


@perm_required("params.param.edit")
@require_POST
def param_update(request, key: str):
    p = _definition_or_404(key)
    # A checkbox sends nothing when unticked; the hidden "0" before it makes
    # "unticked" an explicit answer, and getlist()[-1] prefers the box.
    values = request.POST.getlist("value")
    typed = values[-1] if values else None
    if typed is None:
        return _failed(request, key, KefuError(_("Enter a value.")), typed)
    try:
        services.param_set(actor=request.user, key=key, raw=typed, version=_version(request))
    except KefuError as exc:
        return _failed(request, key, exc, typed)
    return _done(request, key, _("Saved: %(label)s is now %(value)s.") % {
        "label": p.label, "value": selectors.param_state(key).display})


@perm_required("params.param.edit")
@require_POST
def param_reset(request, key: str):
    p = _definition_or_404(key)
    try:
        services.param_reset(actor=request.user, key=key, version=_version(request))
    except KefuError as exc:
        return _failed(request, key, exc, None)
    return _done(request, key, _("%(label)s is back to its default, %(value)s.") % {
        "label": p.label, "value": p.display(p.default)})
