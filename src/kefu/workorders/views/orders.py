"""Pages for one order: create, view, act, attach."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import perm_required
from kefu.core.errors import KefuError
from kefu.iam.selectors import staff_find

from .. import selectors
from ..forms import ActionForm, OrderCreateForm
from ..kinds import ADOPTION_OUTCOMES, SPECS, Kind, choice_label
from ..labels import action_name
from ..services.actions import ActionInput, available_actions, workorder_act
from ..services.attachments import attachment_add
from ..services.notices import notices_mark_read
from ..services.orders import workorder_create
from ..services.templates import compiled


def _order_or_404(request, serial):
    try:
        return selectors.order_get(actor=request.user, serial=serial)
    except KefuError:
        raise Http404 from None


@perm_required("workorders.order.create")
@require_http_methods(["GET", "POST"])
def order_create(request):
    kind = request.POST.get("kind") or request.GET.get("kind") or Kind.COMPLAINT
    if kind not in Kind.values or kind == Kind.COORDINATION:
        kind = Kind.COMPLAINT
    customer = _customer_from(request)
    initial = {"kind": kind}
    if customer is not None:
        sub = customer.subscribers.first()
        initial["subscriber_number"] = sub.number if sub else ""
    form = OrderCreateForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and request.POST.get("switch_kind") != "1" and form.is_valid():
        try:
            order = _create_from_form(request, form, kind, customer)
        except KefuError as exc:
            for name, msg in (exc.details or {}).items() if isinstance(exc.details, dict) else []:
                field = f"f_{name}" if f"f_{name}" in form.fields else name
                form.add_error(field if field in form.fields else None, str(msg))
            if not form.errors:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Work order %(serial)s created.") % {"serial": order.serial})
            return redirect("workorders:order", serial=order.serial)
    if request.POST.get("switch_kind") == "1":
        form = OrderCreateForm(kind=kind, initial={**request.POST.dict(), "kind": kind})
    template = "workorders/partials/_create_form.html" if request.headers.get("HX-Request") else "workorders/create.html"
    return render(request, template, {"form": form, "kind": kind, "customer": customer,
                                      "origin_contact": _origin_contact(request),
                                      "status": 400 if form.errors else 200},
                  status=400 if request.method == "POST" and form.errors else 200)


def _origin_contact(request) -> str:
    """The contact-center contact the order comes from (the agent desktop passes ``?contact=<id>``)."""
    value = (request.POST.get("contact") or request.GET.get("contact") or "").strip()
    return value if value.isdigit() and len(value) <= 20 else ""


def _customer_from(request):
    cid = request.GET.get("customer") or request.POST.get("customer")
    if not cid or not str(cid).isdigit():
        return None
    return selectors.customer_for_order_form(actor=request.user, customer_id=int(cid))


def _create_from_form(request, form, kind, customer):
    from kefu.crm.selectors import subscriber_by_number

    data = form.cleaned_data
    subscriber = None
    if data.get("subscriber_number"):
        # Scoped: a number outside my organisations reads as unknown, like a number no line has.
        subscriber = subscriber_by_number(actor=request.user, number=data["subscriber_number"])
        if subscriber is None:
            raise KefuError(_("No subscriber has number %(n)s.") % {"n": data["subscriber_number"]},
                            details={"subscriber_number": _("Unknown number.")})
    appeal_of = None
    if data.get("appeal_of"):
        try:
            appeal_of = selectors.order_get(actor=request.user, serial=data["appeal_of"].strip())
        except KefuError:
            raise KefuError(_("Unknown complaint."), details={"appeal_of": _("Unknown complaint.")}) from None
    order, _created = workorder_create(
        actor=request.user, kind=kind, title=data["title"], description=data["description"],
        fields=form.kind_values(), customer=customer or (subscriber.customer if subscriber else None),
        subscriber=subscriber, channel=data["channel"], contact_number=data.get("contact_number") or "",
        appeal_of=appeal_of, idempotency_key=request.POST.get("idempotency_key") or None,
        origin_contact=_origin_contact(request),
    )
    return order


@perm_required("workorders.order.view")
def order_detail(request, serial):
    order = _order_or_404(request, serial)
    tpl = compiled(order.template_version)
    actions = available_actions(request.user, order)
    steps = list(selectors.order_steps(order))
    names = {code: st.display_name(request.LANGUAGE_CODE) for code, st in tpl.stations.items()}
    for s in steps:
        s.from_name, s.to_name, s.action_name = names.get(s.from_station, s.from_station), names.get(
            s.to_station, s.to_station), action_name(s.action)
    kind_fields = []
    for rule in SPECS[order.kind].fields:
        value = getattr(order, rule.name, None) if rule.column else order.details.get(rule.name)
        if value:
            kind_fields.append((rule.label, choice_label(order.kind, rule.name, value)))
    notices_mark_read(actor=request.user, order=order)
    return render(request, "workorders/order.html", {
        "order": order, "station_name": names.get(order.station, order.station), "stations": names,
        "actions": [(a, action_name(a)) for a in actions], "steps": steps, "kind_fields": kind_fields,
        "adoption": ADOPTION_OUTCOMES.get((order.details or {}).get("adoption", ""), ""),
        "links_out": selectors.order_links_out(order),
        "links_in": selectors.order_links_in(order),
        "forwards": selectors.order_forwards(order),
        "attachments": order.attachments.all(),
    })


@perm_required("workorders.order.view")
def action_form(request, serial, action):
    """htmx partial: the form for one action, showing only the fields it needs."""
    order = _order_or_404(request, serial)
    if action not in available_actions(request.user, order):
        raise Http404
    form = ActionForm(initial={"version": order.version})
    return render(request, "workorders/partials/_action_form.html", _action_ctx(order, action, form))


def _action_ctx(order, action, form):
    needs_target = action in ("dispatch", "forward")
    return {"order": order, "action": action, "action_label": action_name(action), "form": form,
            "needs_target": needs_target, "needs_outcome": action == "review" and order.kind == Kind.SUGGESTION,
            "needs_satisfaction": action == "reply", "needs_source": action == "reopen",
            "needs_adoption": action == "adoption",
            "overdue": order.station_due_at is not None and order.is_overdue}


@perm_required("workorders.order.view")
@require_POST
def act(request, serial, action):
    order = _order_or_404(request, serial)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return render(request, "workorders/partials/_action_form.html", _action_ctx(order, action, form), status=400)
    d = form.cleaned_data
    to_staff = None
    if d.get("to_staff"):
        to_staff = staff_find(employee_no=d["to_staff"].strip())
        if to_staff is None:
            form.add_error("to_staff", _("Unknown employee number."))
            return render(request, "workorders/partials/_action_form.html", _action_ctx(order, action, form),
                          status=400)
    fields = {}
    if d.get("category"):
        fields["category"] = d["category"]
    if d.get("appeal_source"):
        fields["source"] = d["appeal_source"]
    try:
        result = workorder_act(actor=request.user, order_id=order.pk, data=ActionInput(
            action=action, version=d["version"], text=d.get("text") or "",
            outcome=(d.get("adoption") if action == "adoption" else d.get("outcome")) or "",
            to_org=d.get("to_org"), to_staff=to_staff, late_reason=d.get("late_reason") or "",
            satisfaction=d.get("satisfaction"), fields=fields))
    except KefuError as exc:
        form.add_error(None, str(exc.message))
        status = exc.status if 400 <= exc.status < 500 else 400
        return render(request, "workorders/partials/_action_form.html", _action_ctx(order, action, form),
                      status=status)
    messages.success(request, _("%(action)s done for %(serial)s.") % {"action": action_name(action),
                                                                      "serial": order.serial})
    target = result.serial
    if request.headers.get("HX-Request"):
        from django.http import HttpResponse
        from django.urls import reverse

        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = reverse("workorders:order", kwargs={"serial": target})
        return resp
    return redirect("workorders:order", serial=target)


@perm_required("workorders.order.view")
@require_POST
def attach(request, serial):
    order = _order_or_404(request, serial)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            attachment_add(actor=request.user, order=order, name=upload.name, data=upload.read(),
                           content_type=upload.content_type or "")
            messages.success(request, _("Attached %(name)s.") % {"name": upload.name})
        except KefuError as exc:
            messages.error(request, str(exc.message))
    return redirect("workorders:order", serial=order.serial)


@perm_required("workorders.order.view")
def attachment_download(request, pk):
    from django.http import FileResponse

    try:
        att = selectors.attachment_get(actor=request.user, attachment_id=pk)
    except KefuError:
        raise Http404 from None
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@perm_required("workorders.order.handle")
@require_POST
def mark_duplicate(request, serial):
    from ..services.links import workorder_link_duplicate

    order = _order_or_404(request, serial)
    try:
        original = selectors.order_get(actor=request.user, serial=request.POST.get("original", "").strip())
        workorder_link_duplicate(actor=request.user, order=order, original=original)
        messages.success(request, _("Marked as a duplicate of %(serial)s.") % {"serial": original.serial})
    except KefuError as exc:
        messages.error(request, str(exc.message))
    return redirect("workorders:order", serial=order.serial)
