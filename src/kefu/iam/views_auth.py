"""Log in and out (the 工号 is the login)."""

from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.audit.services import AuditAction, audit_record

from .auth import LoginLocked


@require_http_methods(["GET", "POST"])
def login_view(request):
    error = ""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    employee_no = ""
    if request.method == "POST":
        employee_no = request.POST.get("employee_no", "").strip()[:32]
        password = request.POST.get("password", "")
        try:
            staff = authenticate(request, employee_no=employee_no, password=password)
        except LoginLocked as exc:
            staff = None
            until = {"until": timezone.localtime(exc.until).strftime("%Y-%m-%d %H:%M:%S")}
            if exc.by_address:
                error = _("Too many failed logins from your address. Try again after %(until)s.") % until
            else:
                error = _("This login is locked after too many failed attempts until %(until)s. An "
                          "administrator can unlock it sooner.") % until
        if staff is not None:
            login(request, staff)
            audit_record(actor=staff, action=AuditAction.LOGIN, obj=staff)
            return redirect(next_url)
        if not error:
            error = _("Wrong employee number or password.")
    return render(
        request, "iam/login.html", {"error": error, "next": next_url, "employee_no": employee_no},
        status=400 if error else 200,
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)
    logout(request)
    return redirect("iam:login")
