"""Indicator pages: the historical report (with drill-down and exports), the wallboard, today's figures."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kefu.contactcenter import selectors as contactcenter
from kefu.core.access import perm_required
from kefu.core.errors import ValidationFailed
from kefu.iam import selectors as iam
from kefu.iam.permissions import has_perm

from . import selectors
from .catalogue import GROUPS, HEADLINE
from .filters import report_filters
from .services.refresh import last_refresh


def _drill(row: dict, f: selectors.ReportFilters) -> str:
    since, until = selectors.period_bounds(row, f.interval, f)
    q = {"since": since.strftime("%Y-%m-%dT%H:%M"), "until": until.strftime("%Y-%m-%dT%H:%M")}
    if f.group == "queue" and row["key"]:
        q["queue"] = row["key"]
    elif f.queue_id:
        q["queue"] = f.queue_id
    if f.group == "channel" and row["key"]:
        q["channel"] = row["key"]
    elif f.channel:
        q["channel"] = f.channel
    if f.group == "agent" and row["key"]:
        q["agent"] = row["label"].split(" ")[0]
    return reverse("contactcenter:contacts") + "?" + urlencode(q)


def _report(request):
    try:
        f = report_filters(request.GET)
    except ValidationFailed as exc:
        return None, str(exc.message)
    return selectors.report_rows(actor=request.user, filters=f), ""


@perm_required("kpi.report.view")
def report(request):
    out, error = _report(request)
    lang = get_language() or "zh-hans"
    rows = []
    if out:
        for r in out["rows"]:
            rows.append(
                {
                    **r,
                    "cells": [r["values"].get(i.code) for i in out["indicators"]],
                    "drill": _drill(r, out["filters"]),
                }
            )
    chart = {}
    if out:
        chart = {
            "periods": [
                r["period_label"] + ("" if out["filters"].group == "total" else f" · {r['label']}")
                for r in rows
            ],
            "series": [
                {"name": i.name(lang), "unit": i.unit, "data": [r["values"].get(i.code) for r in rows]}
                for i in out["indicators"]
                if i.available
            ],
        }
    return render(
        request,
        "kpi/report.html",
        {
            "out": out,
            "rows": rows,
            "error": error,
            "chart": chart,
            "lang": lang,
            "query": request.GET.urlencode(),
            "indicator_names": [(i.name(lang), i.unit, i.available) for i in out["indicators"]]
            if out
            else [],
            "groups": [(k, v[0] if lang.startswith("zh") else v[1]) for k, v in GROUPS.items()],
            "queues": contactcenter.queue_list(actor=request.user).values_list("pk", "code"),
            "teams": iam.team_list(actor=request.user).values_list("pk", "name"),
            "orgs": iam.visible_orgs(actor=request.user).values_list("pk", "name"),
            "channels": contactcenter.channel_choices(),
            "intervals": selectors.INTERVALS,
            "dimensions": selectors.DIMENSIONS,
            "mark": last_refresh(),
            "g": request.GET,
            "can_export": has_perm(request.user, "kpi.report.export"),
        },
    )


def _table(out) -> tuple[list[str], list[list]]:
    lang = get_language() or "zh-hans"
    head = [_("Period"), _("Group")] + [f"{i.name(lang)} ({i.unit})" for i in out["indicators"]]
    body = [
        [r["period_label"], r["label"]]
        + [
            (r["values"].get(i.code) if i.available else _("source not available yet"))
            for i in out["indicators"]
        ]
        for r in out["rows"]
    ]
    return head, body


@perm_required("kpi.report.export")
def export(request, fmt: str):
    out, error = _report(request)
    if out is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    head, body = _table(out)
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("kpi")
        ws.append(head)
        for line in body:
            ws.append(line)
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        text = io.StringIO()
        w = csv.writer(text)
        w.writerow(head)
        w.writerows([["" if v is None else v for v in line] for line in body])
        resp = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="kpi.{fmt}"'
    return resp


@perm_required("kpi.wallboard.view")
def wallboard(request):
    return render(request, "kpi/wallboard.html", {"api": "/api/kpi"})


@perm_required("kpi.report.view")
def today(request):
    """htmx partial of the home page: today's headline indicators of the user's organisation."""
    return render(
        request,
        "kpi/partials/_today.html",
        {"today": selectors.today_figures(actor=request.user, codes=HEADLINE)},
    )
