"""Pages: contacts by channel, an e-mail conversation with its answer form, letter and walk-in registration,
hotline mailboxes with a connection test."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.contactcenter.selectors import queue_list
from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_field_errors
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import org_internal_list

from . import inputs, selectors
from .forms import AnswerForm, MailboxForm, RegistrationForm
from .links import order_link
from .models import Registration
from .services import mailboxes, registrations
from .services.inbound import mailbox_poll as poll_now
from .services.outbound import email_answer

CHANNELS = ("email", "letter", "walk_in")




# --- contacts by channel -------------------------------------------------------------------------


@perm_required("intake.email.view", "intake.register.view", any_of=True)
def contact_list(request):
    user = request.user
    tabs = [c for c in CHANNELS if has_perm(user, "intake.email.view" if c == "email" else "intake.register.view")]
    channel = request.GET.get("channel") or tabs[0]
    if channel not in tabs:
        channel = tabs[0]
    ctx = {"tabs": tabs, "channel": channel}
    if channel == "email":
        awaiting = {"1": True, "0": False}.get(request.GET.get("awaiting", ""))
        ctx["conversations"] = selectors.conversation_list(actor=user, awaiting=awaiting,
                                                          mine=request.GET.get("mine") == "1")
        ctx["refused"] = selectors.refused_messages(actor=user, limit=20)
        ctx["awaiting"] = request.GET.get("awaiting", "")
    else:
        ctx["registrations"] = selectors.registration_list(actor=user, kind=channel)
    return render(request, "intake/contacts.html", ctx)


# --- e-mail conversation ---------------------------------------------------------------------------


def _conversation_page(request, conv, form, status=200):
    orders = selectors.conversation_orders(actor=request.user, conversation=conv)
    contact = conv.contact
    return render(request, "intake/conversation.html", {
        "conv": conv, "messages_": selectors.conversation_messages(conv), "form": form, "orders": orders,
        "can_answer": has_perm(request.user, "intake.email.answer"),
        "can_order": has_perm(request.user, "workorders.order.create") and contact is not None,
        "order_url": order_link(contact.pk, contact.customer_id) if contact is not None else "",
    }, status=status)


@perm_required("intake.email.view")
def conversation_detail(request, pk):
    conv = or_404(selectors.conversation_get, actor=request.user, conversation_id=pk)
    return _conversation_page(request, conv, AnswerForm())


@perm_required("intake.email.view", "intake.email.answer")
@require_POST
def conversation_answer(request, pk):
    conv = or_404(selectors.conversation_get, actor=request.user, conversation_id=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            orders = selectors.conversation_orders(actor=request.user, conversation=conv)
            out = email_answer(actor=request.user, conversation=conv, text=form.cleaned_data["text"], orders=orders)
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("The answer was sent to %(to)s.") % {"to": out.to_addr})
            return redirect("intake:conversation", pk=conv.pk)
    return _conversation_page(request, conv, form, status=400)


@perm_required("intake.email.view")
def attachment_download(request, pk):
    att = or_404(selectors.mail_attachment_get, actor=request.user, attachment_id=pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


# --- letters and walk-ins ----------------------------------------------------------------------------


@perm_required("intake.register.create")
@require_http_methods(["GET", "POST"])
def register(request):
    orgs = list(org_internal_list(actor=request.user))
    kind = request.GET.get("kind") if request.GET.get("kind") in Registration.Kind.values else "letter"
    form = RegistrationForm(request.POST or None, request.FILES or None, orgs=orgs, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scan = data.get("scan")
        try:
            reg = registrations.registration_create(
                actor=request.user, kind=data["kind"], org=inputs.org_of(request.user, data["org"]),
                subscriber=inputs.subscriber_of(request.user, data["subscriber_number"]), person=data["person"],
                reply_address=data["reply_address"], summary=data["summary"],
                scan_name=scan.name if scan else "", scan_data=scan.read() if scan else None)
        except KefuError as exc:
            apply_field_errors(form, exc)
        else:
            messages.success(request, _("Registered as contact %(id)s.") % {"id": reg.contact_id})
            return redirect("intake:registration", pk=reg.pk)
    return render(request, "intake/register.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@perm_required("intake.register.view")
def registration_detail(request, pk):
    reg = or_404(selectors.registration_get, actor=request.user, registration_id=pk)
    return render(request, "intake/registration.html", {
        "reg": reg, "order_url": order_link(reg.contact_id, reg.customer_id),
        "can_order": has_perm(request.user, "workorders.order.create")})


@perm_required("intake.register.view")
def scan_download(request, pk):
    reg = or_404(selectors.registration_get, actor=request.user, registration_id=pk)
    if not reg.scan:
        raise Http404
    return FileResponse(reg.scan.open("rb"), as_attachment=True, filename=reg.scan_name)


# --- mailboxes -----------------------------------------------------------------------------------------


def _mailbox_form(request, data=None, initial=None):
    return MailboxForm(data, initial=initial, orgs=list(org_internal_list(actor=request.user)),
                       queues=list(queue_list(actor=request.user)))


def _save_mailbox(request, form, mailbox=None):
    data = dict(form.cleaned_data)
    try:
        payload = inputs.mailbox_input(request.user, data)
        if mailbox is None:
            return mailboxes.mailbox_create(actor=request.user, data=payload)
        return mailboxes.mailbox_update(actor=request.user, mailbox_id=mailbox.pk, data=payload,
                                        version=int(request.POST.get("version") or mailbox.version))
    except KefuError as exc:
        apply_field_errors(form, exc)
        return None


@perm_required("intake.mailbox.view")
def mailbox_list(request):
    return render(request, "intake/mailboxes.html", {
        "mailboxes": list(selectors.mailbox_list(actor=request.user)),
        "form": _mailbox_form(request) if has_perm(request.user, "intake.mailbox.edit") else None})


@perm_required("intake.mailbox.edit")
@require_POST
def mailbox_create(request):
    form = _mailbox_form(request, request.POST)
    if form.is_valid():
        mailbox = _save_mailbox(request, form)
        if mailbox is not None:
            messages.success(request, _("Mailbox %(name)s set up.") % {"name": mailbox.name})
            return redirect("intake:mailbox", pk=mailbox.pk)
    return render(request, "intake/mailboxes.html", {
        "mailboxes": list(selectors.mailbox_list(actor=request.user)), "form": form}, status=400)


@perm_required("intake.mailbox.view")
@require_http_methods(["GET", "POST"])
def mailbox_edit(request, pk):
    mailbox = or_404(selectors.mailbox_get, actor=request.user, mailbox_id=pk)
    can_edit = has_perm(request.user, "intake.mailbox.edit")
    if request.method == "POST" and not can_edit:
        return render(request, "core/forbidden.html", {"codes": ("intake.mailbox.edit",)}, status=403)
    initial = {f: getattr(mailbox, f) for f in ("hotline", "name", "imap_host", "imap_port", "imap_security",
                                                "imap_user", "folder", "smtp_from", "enabled")}
    initial.update(org=mailbox.org_id, queue=mailbox.queue_id)
    form = _mailbox_form(request, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save_mailbox(request, form, mailbox)
        if saved is not None:
            messages.success(request, _("Mailbox saved."))
            return redirect("intake:mailbox", pk=saved.pk)
    return render(request, "intake/mailbox.html", {"mailbox": mailbox, "form": form, "can_edit": can_edit},
                  status=400 if request.method == "POST" else 200)


@perm_required("intake.mailbox.edit")
@require_POST
def mailbox_test(request, pk):
    """htmx: really connect to the IMAP server and say what it answered."""
    mailbox = or_404(selectors.mailbox_get, actor=request.user, mailbox_id=pk)
    try:
        folder = mailboxes.mailbox_test(actor=request.user, mailbox=mailbox)
    except KefuError as exc:
        ctx = {"ok": False, "error": str(exc.message)}
    else:
        ctx = {"ok": True, "folder": folder}
    return render(request, "intake/partials/_test_result.html", {"mailbox": mailbox, **ctx})


@perm_required("intake.mailbox.edit")
@require_POST
def mailbox_poll(request, pk):
    mailbox = or_404(selectors.mailbox_get, actor=request.user, mailbox_id=pk)
    counts = poll_now(mailbox_id=mailbox.pk)
    if counts.get("error"):
        messages.error(request, _("Reading failed: %(error)s") % {"error": counts["error"]})
    else:
        messages.success(request, _("%(accepted)d new e-mails, %(refused)d refused.") % counts)
    return redirect("intake:mailbox", pk=mailbox.pk)
