"""Staff pages: chat entries of the hotlines, messages left outside opening hours, a contact's transcript
(htmx partial of the contact record) and files of chats."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
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
from .forms import EntryForm, FollowUpForm
from .services import chats, entries

DESK, RECORDS, SUPERVISE = "contactcenter.desk.use", "contactcenter.contact.view", "contactcenter.supervise.view"




def _entry_form(request, data=None, initial=None):
    return EntryForm(data, initial=initial, orgs=list(org_internal_list(actor=request.user)),
                     queues=list(queue_list(actor=request.user)))


def _save(request, form, entry=None):
    try:
        payload = inputs.entry_input(request.user, dict(form.cleaned_data))
        if entry is None:
            return entries.entry_create(actor=request.user, data=payload)
        return entries.entry_update(actor=request.user, entry_id=entry.pk, data=payload,
                                    version=int(request.POST.get("version") or entry.version))
    except KefuError as exc:
        apply_field_errors(form, exc)
        return None


@perm_required("webchat.entry.view")
def entry_list(request):
    return render(request, "webchat/entries.html", {
        "entries": list(selectors.entry_list(actor=request.user)),
        "form": _entry_form(request) if has_perm(request.user, "webchat.entry.edit") else None})


@perm_required("webchat.entry.edit")
@require_POST
def entry_create(request):
    form = _entry_form(request, request.POST)
    if form.is_valid():
        entry = _save(request, form)
        if entry is not None:
            messages.success(request, _("Chat entry of %(hotline)s set up.") % {"hotline": entry.hotline})
            return redirect("webchat:entry", pk=entry.pk)
    return render(request, "webchat/entries.html", {
        "entries": list(selectors.entry_list(actor=request.user)), "form": form}, status=400)


@perm_required("webchat.entry.view")
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    entry = or_404(selectors.entry_get, actor=request.user, entry_id=pk)
    can_edit = has_perm(request.user, "webchat.entry.edit")
    if request.method == "POST" and not can_edit:
        return render(request, "core/forbidden.html", {"codes": ("webchat.entry.edit",)}, status=403)
    initial = {"hotline": entry.hotline, "name": entry.name, "org": entry.org_id, "queue": entry.queue_id,
               "welcome": entry.welcome, "enabled": entry.enabled}
    form = _entry_form(request, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, entry)
        if saved is not None:
            messages.success(request, _("Chat entry saved."))
            return redirect("webchat:entry", pk=saved.pk)
    return render(request, "webchat/entry.html", {"entry": entry, "form": form, "can_edit": can_edit},
                  status=400 if request.method == "POST" else 200)


@perm_required(DESK, SUPERVISE, any_of=True)
def left_message_list(request):
    open_only = request.GET.get("all") != "1"
    return render(request, "webchat/left_messages.html", {
        "rows": selectors.left_messages(actor=request.user, open_only=open_only), "open_only": open_only,
        "can_records": has_perm(request.user, RECORDS)})


@perm_required(DESK, SUPERVISE, any_of=True)
@require_POST
def left_message_follow_up(request, pk):
    visit = or_404(selectors.left_message_get, actor=request.user, visit_id=pk)
    form = FollowUpForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        chats.left_message_follow_up(actor=request.user, visit_id=visit.pk, note=note)
        messages.success(request, _("Marked as followed up."))
    except KefuError as exc:
        messages.error(request, str(exc.message))
    return redirect("webchat:left_messages")


@perm_required(RECORDS, DESK, any_of=True)
def transcript(request, contact_id):
    """htmx partial of the contact record: the chat's transcript."""
    visit, lines = or_404(selectors.transcript_get, actor=request.user, contact_id=contact_id)
    return render(request, "webchat/partials/_transcript.html", {"visit": visit, "lines": lines})


@perm_required(RECORDS, DESK, any_of=True)
def file_download(request, pk):
    m = or_404(selectors.message_file_for_staff, actor=request.user, message_id=pk)
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=m.file_name)
