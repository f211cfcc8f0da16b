"""Pages of the satisfaction surveys: scripts (draft editor, publishing, versions), hand-off to third parties
(exports, print view, sample, results import), surveys and their answers, and the satisfaction statistics."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.access import or_404, perm_required
from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.pagination import paginate, querystring_without_page
from kefu.iam.permissions import has_perm
from kefu.orgs.selectors import org_active_list

from . import script as pure
from . import selectors, stats
from .forms import DraftForm, DrawForm, ResultsForm, RuleForm, SampleForm, ScriptForm, StatsForm
from .services import handoff, sampling, scripts, surveys


def _version(request, pk: int, number: int):
    script = or_404(selectors.script_get, actor=request.user, script_id=pk)
    return or_404(selectors.version_get, script=script, number=number)


@perm_required("surveys.script.view")
def script_list(request):
    return render(
        request,
        "surveys/script_list.html",
        {
            "scripts": selectors.script_list(actor=request.user),
            "can_edit": has_perm(request.user, "surveys.script.edit"),
        },
    )


@perm_required("surveys.script.edit")
@require_http_methods(["GET", "POST"])
def script_create(request):
    form = ScriptForm(request.POST or None, orgs=org_active_list(actor=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = scripts.script_create(
                actor=request.user,
                data=scripts.ScriptData(code=d["code"], name=d["name"], org_id=int(d["org"])),
            )
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"script_exists": "code", "invalid_code": "code"})
        else:
            return redirect("surveys:script", pk=s.pk)
    return render(request, "surveys/script_form.html", {"form": form})


@perm_required("surveys.script.view")
def script_detail(request, pk: int):
    script = or_404(selectors.script_get, actor=request.user, script_id=pk)
    draft = selectors.script_draft(script)
    base = draft or selectors.script_published(script)
    form = DraftForm(
        initial={
            "definition": json.dumps(
                base.definition if base else pure.example(), ensure_ascii=False, indent=2
            )
        }
    )
    return _detail(request, script, form)


def _detail(request, script, form, status=200):
    return render(
        request,
        "surveys/script_detail.html",
        {
            "script": script,
            "versions": selectors.script_versions(script),
            "draft": selectors.script_draft(script),
            "form": form,
            "can_edit": has_perm(request.user, "surveys.script.edit"),
            "types": [(t, str(label)) for t, label in pure.TYPE_LABELS.items()],
        },
        status=status,
    )


@perm_required("surveys.script.edit")
@require_POST
def draft_save(request, pk: int):
    script = or_404(selectors.script_get, actor=request.user, script_id=pk)
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            v = scripts.script_draft_save(
                actor=request.user,
                script=script,
                definition=form.cleaned_data["definition"],
                note=form.cleaned_data["note"],
            )
        except KefuError as exc:
            apply_error(form, exc, field_by_code={"invalid_script": "definition"})
        else:
            messages.success(request, _("Draft v%(n)s saved.") % {"n": v.number})
            return redirect("surveys:script", pk=pk)
    return _detail(request, script, form, status=400)


@perm_required("surveys.script.edit")
@require_POST
def script_publish(request, pk: int):
    script = or_404(selectors.script_get, actor=request.user, script_id=pk)
    try:
        v = scripts.script_publish(actor=request.user, script=script)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return redirect("surveys:script", pk=pk)
    messages.success(request, _("Version %(n)s published.") % {"n": v.number})
    return redirect("surveys:version", pk=pk, number=v.number)


@perm_required("surveys.script.view")
def version_detail(request, pk: int, number: int):
    version = _version(request, pk, number)
    report = request.session.pop("surveys_import_report", None)
    return render(
        request,
        "surveys/version_detail.html",
        {
            "script": version.script,
            "version": version,
            "parsed": pure.parse(version.definition),
            "sample_form": SampleForm(),
            "results_form": ResultsForm(),
            "report": report,
            "links": request.session.pop("surveys_links", None),
            "pending": handoff.pending_sample(actor=request.user, version=version).count(),
            "can_send": has_perm(request.user, "surveys.survey.send"),
            "can_export": has_perm(request.user, "surveys.script.export"),
            "can_import": has_perm(request.user, "surveys.survey.import"),
        },
    )


@perm_required("surveys.script.view")
def version_print(request, pk: int, number: int):
    """The script as paper: the browser's print saves it as PDF for a third party."""
    version = _version(request, pk, number)
    return render(
        request,
        "surveys/version_print.html",
        {
            "script": version.script,
            "version": version,
            "parsed": pure.parse(version.definition),
            "levels": [(v, str(label)) for v, label in pure_levels()],
        },
    )


def pure_levels():
    from kefu.core.satisfaction import Satisfaction

    return Satisfaction.choices


def _download(content: str, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _handoff_version(request, pk, number):
    version = _version(request, pk, number)
    try:
        handoff.version_for_handoff(version)
    except KefuError as exc:
        messages.error(request, str(exc.message))
        return version, redirect("surveys:version", pk=pk, number=number)
    return version, None


@perm_required("surveys.script.export")
def handoff_json(request, pk: int, number: int):
    version, refused = _handoff_version(request, pk, number)
    if refused:
        return refused
    data = handoff.export_json(actor=request.user, version=version)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{version.script.code}-v{version.number}.json"'
    return response


@perm_required("surveys.script.export")
def sample_csv(request, pk: int, number: int):
    version, refused = _handoff_version(request, pk, number)
    if refused:
        return refused
    return _download(
        "\ufeff" + handoff.export_sample_csv(actor=request.user, version=version),
        f"{version.script.code}-v{version.number}-sample.csv",
        "text/csv; charset=utf-8",
    )


@perm_required("surveys.script.export")
def results_template(request, pk: int, number: int):
    version = _version(request, pk, number)
    return _download(
        "\ufeff" + handoff.results_template_csv(version),
        f"{version.script.code}-v{version.number}-results.csv",
        "text/csv; charset=utf-8",
    )


@perm_required("surveys.survey.send")
@require_POST
def sample_create(request, pk: int, number: int):
    version = _version(request, pk, number)
    form = SampleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the numbers and a channel."))
        return redirect("surveys:version", pk=pk, number=number)
    numbers = [n for n in re.split(r"[\s,;]+", form.cleaned_data["numbers"]) if n]
    try:
        result = handoff.sample_create(
            actor=request.user, version=version, numbers=numbers, channel=form.cleaned_data["channel"]
        )
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)s surveys created.") % {"n": len(result.created)})
        if result.unknown:
            messages.warning(
                request, _("Unknown numbers: %(numbers)s") % {"numbers": ", ".join(result.unknown[:20])}
            )
        request.session["surveys_links"] = [
            (s.number, request.build_absolute_uri(surveys.survey_link(s))) for s in result.created[:20]
        ]
    return redirect("surveys:version", pk=pk, number=number)


@perm_required("surveys.survey.import")
@require_POST
def results_import(request, pk: int, number: int):
    version = _version(request, pk, number)
    form = ResultsForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a results file."))
        return redirect("surveys:version", pk=pk, number=number)
    upload = form.cleaned_data["file"]
    try:
        content = upload.read(5_000_001).decode("utf-8-sig")
        kind = "json" if upload.name.lower().endswith(".json") else "csv"
        report = handoff.results_import(actor=request.user, version=version, content=content, kind=kind)
    except UnicodeDecodeError:
        messages.error(request, _("The file must be UTF-8 text."))
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        request.session["surveys_import_report"] = report.as_dict()
        messages.success(
            request,
            _("%(imported)s of %(total)s rows imported.")
            % {"imported": report.imported, "total": report.total},
        )
    return redirect("surveys:version", pk=pk, number=number)


@perm_required("surveys.survey.view")
def survey_list(request):
    f = selectors.SurveyFilters(
        state=request.GET.get("state", "")[:12],
        channel=request.GET.get("channel", "")[:12],
        number=request.GET.get("number", "")[:32],
    )
    qs = selectors.survey_list(actor=request.user, filters=f)
    return render(
        request,
        "surveys/survey_list.html",
        {"page": paginate(request, qs), "filters": f, "qs": querystring_without_page(request)},
    )


@perm_required("surveys.survey.view")
def survey_detail(request, pk: int):
    survey = or_404(selectors.survey_get, actor=request.user, survey_id=pk)
    parsed = pure.parse(survey.version.definition)
    rows = [(q, survey.answers.get(q.id)) for q in parsed.questions]
    return render(
        request,
        "surveys/survey_detail.html",
        {"survey": survey, "rows": rows, "link": request.build_absolute_uri(surveys.survey_link(survey))},
    )


def _period(data) -> tuple[datetime, datetime]:
    today = timezone.localdate()
    end_day = data.get("end") or today
    start_day = data.get("start") or end_day - timedelta(days=29)
    if start_day > end_day:
        start_day, end_day = end_day, start_day
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start_day, time.min, tzinfo=tz),
        datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=tz),
    )


@perm_required("surveys.stats.view")
def satisfaction(request):
    form = StatsForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start, end = _period(data)
    group_by = data.get("group_by") or "all"
    source = data.get("source") or "all"
    sources = stats.SOURCES if source == "all" else (source,)
    groups = stats.satisfaction_counts(
        actor=request.user, start=start, end=end, group_by=group_by, sources=sources
    )
    levels = [(v, str(label)) for v, label in pure_levels()]
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow([_("Group"), *[label for _v, label in levels], _("Total"), _("Satisfaction rate (%)")])
        for g in groups:
            w.writerow(
                [g.label, *[g.counts[v] for v, _label in levels], g.total, "" if g.rate is None else g.rate]
            )
        return _download("\ufeff" + out.getvalue(), "satisfaction.csv", "text/csv; charset=utf-8")
    total = stats.Group(key=None, label=_("All"))
    for g in groups:
        for v in g.counts:
            total.counts[v] += g.counts[v]
    chart = {
        "labels": {"rate": _("Satisfaction rate (%)"), "levels": [label for _v, label in levels]},
        "groups": [g.as_dict() for g in groups],
        "levels": [v for v, _label in levels],
        "total": total.as_dict(),
    }
    return render(
        request,
        "surveys/satisfaction.html",
        {
            "form": form,
            "groups": groups,
            "levels": levels,
            "total": total,
            "chart": chart,
            "start": start,
            "end": end - timedelta(days=1),
            "qs": request.GET.urlencode(),
        },
    )


@perm_required("surveys.script.view")
@require_http_methods(["GET", "POST"])
def rule_list(request):
    form = RuleForm(request.POST or None, scripts=selectors.script_list(actor=request.user, active=True))
    can_send = has_perm(request.user, "surveys.survey.send")
    if request.method == "POST":
        if not can_send:
            return render(request, "core/forbidden.html", {"codes": ("surveys.survey.send",)}, status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                script = selectors.script_get(actor=request.user, script_id=d["script"])
                sampling.rule_create(
                    actor=request.user,
                    script=script,
                    data=sampling.RuleData(
                        name=d["name"],
                        script_id=script.pk,
                        source=d["source"],
                        percent=str(d["percent"]),
                        queue=d["queue"],
                        channel=d["channel"],
                        exclude_days=d["exclude_days"],
                    ),
                )
            except KefuError as exc:
                apply_error(
                    form, exc, field_by_code={"invalid_percent": "percent", "script_not_found": "script"}
                )
            else:
                messages.success(request, _("Sampling rule saved."))
                return redirect("surveys:rules")
    rules = [(r, selectors.rule_draws(r, limit=5)) for r in selectors.rule_list(actor=request.user)]
    return render(
        request,
        "surveys/rule_list.html",
        {"form": form, "rules": rules, "can_send": can_send, "draw_form": DrawForm()},
        status=400 if request.method == "POST" else 200,
    )


@perm_required("surveys.survey.send")
@require_POST
def rule_toggle(request, pk: int):
    rule = or_404(selectors.rule_get, actor=request.user, rule_id=pk)
    sampling.rule_set_active(actor=request.user, rule=rule, active=not rule.active)
    return redirect("surveys:rules")


@perm_required("surveys.survey.send")
@require_POST
def rule_draw(request, pk: int):
    rule = or_404(selectors.rule_get, actor=request.user, rule_id=pk)
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day."))
        return redirect("surveys:rules")
    try:
        d = sampling.sample_draw(rule=rule, day=form.cleaned_data["day"])
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(day)s: %(drawn)s of %(considered)s drawn.")
            % {"day": d.day, "drawn": d.drawn, "considered": d.considered},
        )
    return redirect("surveys:rules")
