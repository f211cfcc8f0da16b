"""My account: change my own password (every logged-in person)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.core.access import login_only
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error

from ..forms import OwnPasswordForm
from ..services import staff as staff_services


@login_only
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = OwnPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                staff = staff_services.staff_change_own_password(
                    actor=request.user, old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                )
            except KefuError as exc:
                apply_error(form, exc, field_by_code={"wrong_password": "old_password",
                                                      "same_password": "new_password",
                                                      "weak_password": "new_password"})
                status = exc.status
            else:
                update_session_auth_hash(request, staff)  # stay logged in here; other sessions end
                messages.success(request, _("Your password has been changed."))
                return redirect("core:home")
    return render(request, "iam/password_change.html", {"form": form}, status=status)
