"""The customer's chat page (/chat/<hotline>/) and its JSON requests; no staff login.

The page is public. What a customer may do is bound to the visit their SMS
code opened: its key is kept in the browser's session (``SESSION_KEY``), so
requests and the socket of that browser reach that chat alone. Every POST
carries Django's CSRF token. Errors answer ``{"code", "message", "details"}``
with the right 4xx, as the API does.
"""

from __future__ import annotations

import json

from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.core.access import public
from kefu.core.errors import KefuError, NotFound, ValidationFailed
from kefu.core.middleware import client_ip

from . import selectors
from .consumers import SESSION_KEY
from .models import ChatVisit
from .services import chats, codes

PUBLIC = "public: the customers' chat page; a chat is reached by the key its SMS code opened"


def _error(exc: KefuError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


def _json(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationFailed(_("The request is not valid JSON."), code="invalid") from None
    if not isinstance(data, dict):
        raise ValidationFailed(_("The request is not valid JSON."), code="invalid")
    return data


def _visit(request, entry) -> ChatVisit:
    visit = selectors.visit_by_token(entry=entry, token=request.session.get(SESSION_KEY, ""))
    if visit is None:
        raise NotFound(_("Identify yourself first."), code="not_identified")
    return visit


def _state(visit: ChatVisit | None, entry) -> dict:
    from kefu.contactcenter.selectors import queue_is_open

    out: dict = {"open": entry.enabled and entry.queue.active and queue_is_open(entry.queue), "visit": None,
                 "messages": []}
    if visit is not None:
        out["visit"] = {"state": selectors.visit_state(visit), "mobile": visit.mobile[:3] + "****" + visit.mobile[-4:],
                        "guest": visit.guest, "answered": bool(visit.contact and visit.contact.answered_at)}
        if visit.contact_id:
            out["messages"] = [chats.message_payload(m) for m in selectors.messages_of(visit.contact_id)]
    return out


def _door(view):
    """Find the hotline's entry, run the view, and answer a KefuError as JSON."""
    def wrapper(request, hotline, *args, **kwargs):
        try:
            entry = selectors.entry_for_hotline(hotline=hotline)
            return view(request, entry, *args, **kwargs)
        except KefuError as exc:
            return _error(exc)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return public(PUBLIC)(wrapper)


@public(PUBLIC)
@require_GET
def chat_page(request, hotline):
    try:
        entry = selectors.entry_for_hotline(hotline=hotline)
    except NotFound:
        return render(request, "webchat/chat_unavailable.html", {"hotline": hotline}, status=404)
    visit = selectors.visit_by_token(entry=entry, token=request.session.get(SESSION_KEY, ""))
    return render(request, "webchat/chat.html", {"entry": entry, "state": _state(visit, entry), "labels": _labels()})


def _labels() -> dict:
    """Words the page's script shows."""
    return {
        "waiting": _("Waiting for an agent…"), "talking": _("An agent is with you."),
        "transferred": _("You are being transferred to another agent…"),
        "ended": _("The chat has ended. Thank you."), "left": _("Your message was left. We will get back to you."),
        "followed": _("Your message was followed up."), "sent": _("The code was sent by SMS."),
        "identified": _("Verified number:"), "you": _("You"), "agent": _("Agent"), "system": _("Notice"),
        "lost": _("Connection lost, reconnecting…"), "confirm_end": _("End the chat?"),
    }


@_door
@require_GET
def chat_state(request, entry):
    visit = selectors.visit_by_token(entry=entry, token=request.session.get(SESSION_KEY, ""))
    return JsonResponse(_state(visit, entry))


@_door
@require_POST
def code_send(request, entry):
    data = _json(request)
    codes.code_request(entry=entry, mobile=str(data.get("mobile") or ""), ip=client_ip(request) or None)
    return JsonResponse({"sent": True})


@_door
@require_POST
def code_check(request, entry):
    data = _json(request)
    visit = codes.code_verify(entry=entry, mobile=str(data.get("mobile") or ""), code=str(data.get("code") or ""),
                              ip=client_ip(request) or None)
    request.session.cycle_key()  # a new session id for the identified browser
    request.session[SESSION_KEY] = visit.token
    return JsonResponse(_state(visit, entry))


@_door
@require_POST
def chat_begin(request, entry):
    visit = chats.chat_start(visit_id=_visit(request, entry).pk)
    return JsonResponse(_state(selectors.visit_by_token(token=visit.token), entry), status=201)


@_door
@require_POST
def message_left(request, entry):
    data = _json(request)
    visit = chats.message_leave(visit_id=_visit(request, entry).pk, text=str(data.get("text") or ""))
    return JsonResponse(_state(selectors.visit_by_token(token=visit.token), entry), status=201)


@_door
@require_POST
def file_upload(request, entry):
    visit = _visit(request, entry)
    f = request.FILES.get("file")
    if f is None:
        raise ValidationFailed(_("Choose a file."), code="file_required", details={"file": _("Required.")})
    message = chats.customer_file(visit_id=visit.pk, name=f.name, data=f.read(), content_type=f.content_type or "")
    return JsonResponse(chats.message_payload(message), status=201)


@_door
@require_GET
def file_download(request, entry, message_id):
    m = selectors.message_file_for_visit(visit=_visit(request, entry), message_id=message_id)
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=m.file_name)
