"""Pages of quality inspection: inspections (pick, score, decide), scoring forms, my quality, improvement
actions, the report with its chart and CSV, and the quality overview."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm
from kefu.iam.selectors import visible_orgs
from kefu.workorders.kinds import Kind

from . import overview, reports, selectors
from .forms import (
    DecisionForm,
    DisputeForm,
    DoneForm,
    ImprovementForm,
    InspectionFilterForm,
    ManualPickForm,
    PeriodForm,
    PickForm,
    PublishForm,
    ReportForm,
    ScoreFormForm,
    items_to_text,
)
from .permissions import DECIDE, FORM_EDIT, FORM_VIEW, IMPROVE, OWN, REPORT, SCORE, VIEW
from .services.disputes import dispute_decide, inspection_dispute
from .services.forms import FormData, form_create, form_publish, form_set_active
from .services.improvements import improvement_create, improvement_done
from .services.inspections import (
    SampleRule,
    ScoreSheet,
    inspection_create,
    inspection_score,
    inspections_pick,
)


def _fail(request, exc: KefuError) -> None:
    messages.error(request, str(exc.message))


# --- inspections ---------------------------------------------------------------------------------------


@perm_required(VIEW)
def inspections(request):
    form = InspectionFilterForm(request.GET or None)
    data = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    qs = selectors.inspection_list(actor=request.user, filters=selectors.InspectionFilters(**data))
    can_score = has_perm(request.user, SCORE)
    score_forms = list(selectors.form_list(actor=request.user, active=True)) if can_score else []
    return render(
        request,
        "quality/inspections.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "can_score": can_score,
            "pick_form": PickForm(score_forms=score_forms),
            "manual_form": ManualPickForm(score_forms=score_forms),
        },
    )


@perm_required(SCORE)
@require_POST
def pick(request):
    form = PickForm(request.POST, score_forms=selectors.form_list(actor=request.user, active=True))
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}"
                for k, v in form.errors.items()
            ),
        )
        return redirect("quality:inspections")
    d = form.cleaned_data
    since, until = form.period()
    try:
        out = inspections_pick(
            actor=request.user,
            rule=SampleRule(
                source=d["source"],
                since=since,
                until=until,
                per_agent=d["per_agent"] or 2,
                seed=d["seed"],
                min_talk_seconds=d["min_talk_seconds"] or 600,
                form_id=int(d["form"]) if d["form"] else None,
            ),
        )
    except KefuError as exc:
        _fail(request, exc)
    else:
        text = _("%(n)s contacts picked.") % {"n": len(out.created)}
        if out.no_form:
            text += " " + _("%(n)s without a fitting form were left.") % {"n": out.no_form}
        if out.seed is not None:
            text += " " + _("Seed: %(seed)s.") % {"seed": out.seed}
        messages.success(request, text)
    return redirect("quality:inspections")


@perm_required(SCORE)
@require_POST
def pick_contact(request):
    form = ManualPickForm(request.POST, score_forms=selectors.form_list(actor=request.user, active=True))
    if not form.is_valid():
        messages.error(request, _("Enter a contact number."))
        return redirect("quality:inspections")
    try:
        inspection = inspection_create(
            actor=request.user,
            contact_id=form.cleaned_data["contact"],
            form_id=form.cleaned_data["form"] or None,
        )
    except KefuError as exc:
        _fail(request, exc)
        return redirect("quality:inspections")
    return redirect("quality:inspection", pk=inspection.pk)


def _rows(inspection) -> list[dict]:
    return [
        {
            **item,
            "points": inspection.points.get(item["key"]),
            "hit": item["key"] in inspection.fatal_hits,
            "comment": inspection.item_comments.get(item["key"], ""),
        }
        for item in inspection.form_version.items
    ]


@perm_required(VIEW)
def inspection(request, pk: int):
    i = or_404(selectors.inspection_get, actor=request.user, inspection_id=pk)
    mine = i.agent_id == request.user.pk
    return render(
        request,
        "quality/inspection.html",
        {
            "i": i,
            "rows": _rows(i),
            "can_score": has_perm(request.user, SCORE)
            and not mine
            and i.state in ("pending", "scored")
            and not i.disputed_at,
            "can_decide": has_perm(request.user, DECIDE) and not mine and i.can_decide(),
            "can_improve": has_perm(request.user, IMPROVE),
            "decision_form": DecisionForm(),
            "improvement_form": ImprovementForm(),
            "improvements": i.improvements.order_by("state", "due_on"),
        },
    )


def _sheet(post, items) -> ScoreSheet:
    points, hits, comments = {}, [], {}
    for item in items:
        key = item["key"]
        if item.get("fatal"):
            if post.get(f"fatal_{key}"):
                hits.append(key)
        else:
            raw = post.get(f"points_{key}", "").strip()
            if raw.lstrip("-").isdigit() and len(raw) < 6:
                points[key] = int(raw)
        if post.get(f"comment_{key}", "").strip():
            comments[key] = post[f"comment_{key}"][:500]
    return ScoreSheet(
        points=points, fatal_hits=hits, item_comments=comments, comment=post.get("comment", "")[:2000]
    )


@perm_required(SCORE)
@require_POST
def score(request, pk: int):
    i = or_404(selectors.inspection_get, actor=request.user, inspection_id=pk)
    try:
        done = inspection_score(
            actor=request.user, inspection_id=pk, sheet=_sheet(request.POST, i.form_version.items)
        )
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Scored: %(score)s.") % {"score": done.score})
    return redirect("quality:inspection", pk=pk)


@perm_required(DECIDE)
@require_POST
def decide(request, pk: int):
    or_404(selectors.inspection_get, actor=request.user, inspection_id=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision; a revised score is from 0 to 100."))
        return redirect("quality:inspection", pk=pk)
    d = form.cleaned_data
    try:
        dispute_decide(
            actor=request.user, inspection_id=pk, decision=d["decision"], note=d["note"], score=d["score"]
        )
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Dispute decided."))
    return redirect("quality:inspection", pk=pk)


# --- scoring forms -------------------------------------------------------------------------------------


@perm_required(FORM_VIEW)
def forms_list(request):
    return render(
        request,
        "quality/forms.html",
        {"forms": selectors.form_list(actor=request.user), "can_edit": has_perm(request.user, FORM_EDIT)},
    )


@perm_required(FORM_EDIT)
@require_http_methods(["GET", "POST"])
def form_new(request):
    form = ScoreFormForm(request.POST or None, orgs=visible_orgs(actor=request.user), kinds=Kind.choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = form_create(
                actor=request.user,
                data=FormData(
                    name=d["name"],
                    org_id=int(d["org"]),
                    items=d["items"],
                    queue_code=d["queue_code"],
                    order_kind=d["order_kind"],
                ),
            )
        except KefuError as exc:
            apply_error(
                form,
                exc,
                field_by_code={"form_exists": "name", "invalid_items": "items", "invalid_name": "name"},
            )
        else:
            messages.success(request, _("Scoring form created."))
            return redirect("quality:form", pk=created.pk)
    return render(
        request, "quality/form_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@perm_required(FORM_VIEW)
def form_detail(request, pk: int):
    f = or_404(selectors.form_get, actor=request.user, form_id=pk)
    current = selectors.form_current(f)
    return render(
        request,
        "quality/form_detail.html",
        {
            "f": f,
            "current": current,
            "versions": selectors.form_versions(f),
            "can_edit": has_perm(request.user, FORM_EDIT),
            "publish_form": PublishForm(initial={"items": items_to_text(current.items if current else [])}),
        },
    )


@perm_required(FORM_EDIT)
@require_POST
def form_publish_view(request, pk: int):
    or_404(selectors.form_owned, actor=request.user, form_id=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("items", [_("Check the items.")])))
        return redirect("quality:form", pk=pk)
    try:
        version = form_publish(actor=request.user, form_id=pk, items=form.cleaned_data["items"])
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Version %(n)s is in use.") % {"n": version.number})
    return redirect("quality:form", pk=pk)


@perm_required(FORM_EDIT)
@require_POST
def form_toggle(request, pk: int):
    f = or_404(selectors.form_owned, actor=request.user, form_id=pk)
    form_set_active(actor=request.user, form_id=pk, active=not f.active)
    return redirect("quality:form", pk=pk)


# --- my quality ----------------------------------------------------------------------------------------


@perm_required(OWN)
def mine(request):
    return render(
        request,
        "quality/mine.html",
        {
            "page": paginate(request, selectors.own_inspection_list(actor=request.user)),
            "improvements": selectors.own_improvements(actor=request.user),
            "done_form": DoneForm(),
        },
    )


@perm_required(OWN)
def mine_detail(request, pk: int):
    i = or_404(selectors.own_inspection_get, actor=request.user, inspection_id=pk)
    return render(
        request, "quality/mine_detail.html", {"i": i, "rows": _rows(i), "dispute_form": DisputeForm()}
    )


@perm_required(OWN)
@require_POST
def mine_dispute(request, pk: int):
    or_404(selectors.own_inspection_get, actor=request.user, inspection_id=pk)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("quality:mine_detail", pk=pk)
    try:
        inspection_dispute(actor=request.user, inspection_id=pk, reason=form.cleaned_data["reason"])
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Your dispute goes to a supervisor."))
    return redirect("quality:mine_detail", pk=pk)


@perm_required(OWN)
@require_POST
def mine_improvement_done(request, pk: int):
    or_404(selectors.improvement_get, actor=request.user, improvement_id=pk, own=True)
    _done(request, pk, own=True)
    return redirect("quality:mine")


def _done(request, pk: int, *, own: bool) -> None:
    form = DoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        improvement_done(actor=request.user, improvement_id=pk, note=note, own=own)
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Action done."))


# --- improvement actions -------------------------------------------------------------------------------


@perm_required(VIEW)
def improvements(request):
    state = request.GET.get("state", "")
    state = state if state in ("open", "done") else ""
    return render(
        request,
        "quality/improvements.html",
        {
            "page": paginate(request, selectors.improvement_list(actor=request.user, state=state)),
            "state": state,
            "can_manage": has_perm(request.user, IMPROVE),
            "done_form": DoneForm(),
        },
    )


@perm_required(IMPROVE)
@require_POST
def improvement_new(request, pk: int):
    or_404(selectors.inspection_get, actor=request.user, inspection_id=pk)
    form = ImprovementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the action and a due date."))
        return redirect("quality:inspection", pk=pk)
    d = form.cleaned_data
    try:
        improvement_create(
            actor=request.user, inspection_id=pk, title=d["title"], detail=d["detail"], due_on=d["due_on"]
        )
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Improvement action assigned."))
    return redirect("quality:inspection", pk=pk)


@perm_required(IMPROVE)
@require_POST
def improvement_close(request, pk: int):
    or_404(selectors.improvement_get, actor=request.user, improvement_id=pk)
    _done(request, pk, own=False)
    return redirect("quality:improvements")


# --- reports -------------------------------------------------------------------------------------------


def _report(request):
    form = ReportForm(request.GET or None)
    start, end = form.period()
    group_by = (form.cleaned_data.get("group_by") if form.is_valid() else "") or "agent"
    return (
        form,
        start,
        end,
        group_by,
        reports.quality_report(actor=request.user, start=start, end=end, group_by=group_by),
    )


@perm_required(REPORT)
def report(request):
    form, start, end, group_by, rows = _report(request)
    chart = {
        "labels": {
            "average": _("Average score"),
            "fatal_rate": _("Fatal-error rate %"),
            "disputed_rate": _("Disputed rate %"),
            "count": _("Inspections"),
        },
        "rows": [r.as_dict() for r in rows],
    }
    return render(
        request,
        "quality/report.html",
        {"form": form, "rows": rows, "chart": chart, "qs": request.GET.urlencode()},
    )


@perm_required(REPORT)
def report_export(request):
    form, start, end, group_by, rows = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quality-{group_by}-{start:%Y%m%d}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with the mark
    out = csv.writer(response)
    out.writerow(
        [
            _("Group"),
            _("Inspections"),
            _("Average score"),
            _("Fatal errors"),
            _("Fatal-error rate %"),
            _("Disputed"),
            _("Disputed rate %"),
        ]
    )
    for r in rows:
        out.writerow(
            [
                r.label,
                r.count,
                r.average if r.average is not None else "",
                r.fatal,
                r.fatal_rate if r.fatal_rate is not None else "",
                r.disputed,
                r.disputed_rate if r.disputed_rate is not None else "",
            ]
        )
    return response


@perm_required(REPORT)
def overview_page(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return render(
        request,
        "quality/overview.html",
        {"form": form, "o": overview.quality_overview(actor=request.user, start=start, end=end)},
    )
