"""Queue admin: list, create, edit, delete (audited through services.queues)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError, NotFound
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm

from .. import selectors
from ..forms import OverflowFormSet, QueueForm, SkillFormSet, overflow_initial, queue_data, skill_initial
from ..models import Channel
from ..services.queues import queue_create, queue_delete, queue_update

# Service error fields → form fields; skills/overflow errors go to their tables.
_FIELD = {"code": "code", "name": "name", "channel": "channel", "org": "org", "sl_target_percent": "sl_target_percent",
          "sl_target_seconds": "sl_target_seconds", "short_abandon_seconds": "short_abandon_seconds",
          "max_wait_seconds": "max_wait_seconds", "max_wait_action": "max_wait_action",
          "closed_message": "closed_message", "script": "script", "opening_hours": "always_open"}


def _queue_or_404(request, pk):
    try:
        return selectors.queue_get(actor=request.user, queue_id=pk)
    except NotFound:
        raise Http404 from None


@perm_required("contactcenter.queue.view")
def queue_list(request):
    search = (request.GET.get("q") or "").strip()[:64]
    page = paginate(request, selectors.queue_list(actor=request.user, search=search))
    stats = {s["id"]: s for s in selectors.queue_stats(actor=request.user, queues=list(page.object_list))}
    channels = dict(Channel.choices)
    for q in page.object_list:
        q.stats = stats.get(q.pk)
        q.channel_label = channels.get(q.channel, q.channel)
    return render(request, "contactcenter/queues.html", {
        "page": page, "qs": querystring_without_page(request), "q": search,
        "can_edit": has_perm(request.user, "contactcenter.queue.edit")})


def _edit(request, queue=None):
    initial = QueueForm.initial_for(queue) if queue else {"org": request.user.org_id}
    form = QueueForm(request.POST or None, actor=request.user, initial=initial)
    skills = SkillFormSet(request.POST or None, prefix="skills", initial=skill_initial(queue) if queue else None)
    overflow = OverflowFormSet(request.POST or None, prefix="overflow",
                               initial=overflow_initial(queue) if queue else None)
    errors: dict = {}
    if request.method == "POST" and form.is_valid() and skills.is_valid() and overflow.is_valid():
        data = queue_data(form, skills, overflow)
        try:
            saved = queue_update(actor=request.user, queue=queue, data=data) if queue else queue_create(
                actor=request.user, data=data)
        except KefuError as exc:
            errors = exc.details if isinstance(exc.details, dict) else {}
            for name, msg in errors.items():
                if name in _FIELD:
                    form.add_error(_FIELD[name], str(msg))
            if not errors:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Queue %(code)s saved.") % {"code": saved.code})
            return redirect("contactcenter:queues")
    status = 400 if request.method == "POST" else 200
    return render(request, "contactcenter/queue_form.html", {
        "form": form, "skills": skills, "overflow": overflow, "queue": queue,
        "skills_error": errors.get("skills", ""), "overflow_error": errors.get("overflow", "")}, status=status)


@perm_required("contactcenter.queue.edit")
@require_http_methods(["GET", "POST"])
def queue_new(request):
    return _edit(request)


@perm_required("contactcenter.queue.edit")
@require_http_methods(["GET", "POST"])
def queue_edit(request, pk):
    return _edit(request, _queue_or_404(request, pk))


@perm_required("contactcenter.queue.edit")
@require_POST
def queue_remove(request, pk):
    queue = _queue_or_404(request, pk)
    try:
        queue_delete(actor=request.user, queue=queue)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("contactcenter:queue_edit", pk=queue.pk)
    messages.success(request, _("Queue %(code)s deleted.") % {"code": queue.code})
    return redirect("contactcenter:queues")
