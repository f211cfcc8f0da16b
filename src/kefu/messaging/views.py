"""Pages of internal messages: inbox, sent messages with read receipts, compose, one message."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import login_only, or_404, perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm
from kefu.iam.selectors import staff_by_employee_nos

from . import selectors
from .forms import ComposeForm, InboxFilterForm, ReceiptFilterForm, SentFilterForm
from .services.receipts import message_acknowledge, message_read
from .services.recipients import BROADCAST, SEND, Target
from .services.sending import FileIn, MessageDraft, message_send

SENDERS = (SEND, BROADCAST)



def _columns(request, columns: list[tuple[str, str]], allowed: dict) -> tuple[str, list[dict]]:
    """The sort chosen (``?sort=``, a known column or none) and each column header's link: a click sorts by
    it, a second click reverses."""
    sort = request.GET.get("sort", "")
    if not selectors.sort_key_valid(sort, allowed):
        sort = ""
    params = request.GET.copy()
    params.pop("page", None)
    out = []
    for key, label in columns:
        if key not in allowed:
            out.append({"label": label, "url": None})
            continue
        params["sort"] = f"-{key}" if sort == key else key
        out.append({"label": label, "url": "?" + params.urlencode(), "key": key,
                    "active": sort.lstrip("-") == key, "desc": sort == f"-{key}"})
    return sort, out


@login_only
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    data = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    sort, columns = _columns(request, [
        ("read_at", _("State")), ("priority", _("Priority")), ("subject", _("Subject")), ("sender", _("Sender")),
        ("sent_at", _("Sent at")), ("display", _("Display")), ("expires_at", _("Expires at"))],
        selectors.INBOX_SORTS)
    qs = selectors.inbox_list(actor=request.user, filters=selectors.InboxFilters(**data), sort=sort)
    return render(request, "messaging/inbox.html", {
        "form": form, "columns": columns, "page": paginate(request, qs), "qs": querystring_without_page(request),
        "can_send": any(has_perm(request.user, c) for c in SENDERS)})


@perm_required(*SENDERS, any_of=True)
def sent(request):
    form = SentFilterForm(request.GET or None)
    data = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    sort, columns = _columns(request, [
        ("sent_at", _("Sent at")), ("subject", _("Subject")), ("targets", _("To")), ("priority", _("Priority")),
        ("display", _("Display")), ("recipients", _("Recipients")), ("read", _("Read")), ("unread", _("Unread")),
        ("expires_at", _("Expires at"))], selectors.SENT_SORTS)
    qs = selectors.sent_list(actor=request.user, filters=selectors.SentFilters(**data), sort=sort)
    return render(request, "messaging/sent.html", {
        "form": form, "columns": columns, "page": paginate(request, qs), "qs": querystring_without_page(request)})


@login_only
def detail(request, pk: int):
    view = or_404(selectors.message_get, actor=request.user, message_id=pk)
    delivery = view.delivery
    if delivery is not None and delivery.read_at is None:
        delivery = message_read(actor=request.user, message_id=pk)  # opening it is reading it
    context = {"m": view.message, "delivery": delivery, "attachments": selectors.message_attachments(view.message),
               "can_reply": delivery is not None and has_perm(request.user, SEND),
               "can_send": any(has_perm(request.user, c) for c in SENDERS)}
    if view.is_sender:
        form = ReceiptFilterForm(request.GET or None)
        state = form.cleaned_data.get("state", "") if form.is_valid() else ""
        sort, columns = _columns(request, [
            ("employee_no", _("Employee number")), ("name", _("Name")), ("org", _("Organisation")),
            ("read_at", _("Read at")), ("acknowledged_at", _("Acknowledged at"))], selectors.RECEIPT_SORTS)
        _m, counts, rows = selectors.message_receipts(actor=request.user, message_id=pk, state=state, sort=sort)
        context.update({"counts": counts, "receipt_form": form, "columns": columns,
                        "page": paginate(request, rows, per_page=50), "qs": querystring_without_page(request)})
    return render(request, "messaging/detail.html", context)


@login_only
@require_POST
def acknowledge(request, pk: int):
    or_404(message_acknowledge, actor=request.user, message_id=pk)
    messages.success(request, _("Acknowledged."))
    return redirect("messaging:detail", pk=pk)


@login_only
def attachment(request, pk: int):
    att = or_404(selectors.attachment_get, actor=request.user, attachment_id=pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


def _targets(actor, data: dict) -> tuple[list[Target], list[str]]:
    words = [w for w in data.get("people", "").replace(",", " ").replace("，", " ").split() if w]
    found, missing = staff_by_employee_nos(actor=actor, employee_nos=words) if words else ([], [])
    targets = [Target(kind="staff", id=s.pk) for s in found]
    targets += [Target(kind="team", id=int(t)) for t in data.get("teams", [])]
    targets += [Target(kind="role", id=int(r)) for r in data.get("roles", [])]
    targets += [Target(kind="org", id=int(o), subtree=bool(data.get("subtree"))) for o in data.get("orgs", [])]
    if data.get("everyone"):
        targets.append(Target(kind="everyone"))
    return targets, missing


@perm_required(*SENDERS, any_of=True)
@require_http_methods(["GET", "POST"])
def compose(request):
    broadcast = has_perm(request.user, BROADCAST)
    choices = selectors.recipient_choices(actor=request.user) if broadcast else {"teams": [], "roles": [],
                                                                                   "orgs": []}
    initial = {"key": uuid.uuid4().hex}
    reply = None
    if request.method == "GET" and "reply_to" in request.GET:
        reply = or_404(selectors.message_get, actor=request.user, message_id=request.GET["reply_to"]).message
        initial.update({"reply_to": reply.pk, "subject": (_("Re: %(s)s") % {"s": reply.subject})[:200]})
    elif request.method == "POST":
        reply = _visible(request.user, request.POST.get("reply_to", ""))
    form = ComposeForm(request.POST or None, request.FILES or None, choices=choices, broadcast=broadcast,
                       initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        targets, missing = _targets(request.user, d)
        if missing:
            form.add_error("people", _("Unknown employee numbers: %(nos)s") % {"nos": ", ".join(missing)})
        else:
            draft = MessageDraft(
                subject=d["subject"], body=d["body"], targets=targets, priority=d["priority"],
                display=d["display"], sound=d["sound"], expires_at=d["expires_at"], reply_to_id=d["reply_to"],
                files=[FileIn(name=f.name, data=f.read(), content_type=f.content_type or "") for f in d["files"]])
            try:
                outcome = message_send(actor=request.user, draft=draft, idempotency_key=d["key"])
            except KefuError as exc:
                _place(form, exc)
            else:
                messages.success(request, _("Sent to %(n)s people.") % {"n": outcome.message.recipient_count})
                return redirect(reverse("messaging:detail", args=[outcome.message.pk]))
    return render(request, "messaging/compose.html", {"form": form, "reply": reply, "broadcast": broadcast},
                  status=400 if request.method == "POST" else 200)


def _visible(actor, message_id):
    """The message answered, if the actor may see it (the service refuses any other)."""
    try:
        return selectors.message_get(actor=actor, message_id=message_id).message
    except NotFound:
        return None


def _place(form, exc: KefuError) -> None:
    """A service error on the field it concerns (recipients on the people field), else on the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    for field, text in details.items():
        if field in form.fields and field not in ("id", "kind"):
            form.add_error(field, str(text))
            return
    if exc.code in ("recipient_not_found", "no_recipients", "too_many_recipients", "too_many_targets"):
        form.add_error("people", str(exc.message))
        return
    if exc.code.startswith("attachment") or exc.code == "too_many_files":
        form.add_error("files", str(exc.message))
        return
    form.add_error(None, str(exc.message))


@perm_required(*SENDERS, any_of=True)
def people(request):
    """The picker's people search (an htmx fragment)."""
    found = selectors.people_search(actor=request.user, q=request.GET.get("q", "")[:64])
    return render(request, "messaging/partials/_people.html", {"people": found})
