"""Hand-off to third parties (docs/surveys.md, "Hand-off format"): a sample of customers to ask, the script
and the sample exported as JSON or CSV, and the results imported back row by row.

A sample is a set of surveys of channel ``third_party`` waiting for answers; each row of the export carries
the survey's token, and the results file names the token again, so a result can only land on a survey that
was handed out (and only once).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core.errors import KefuError, ValidationFailed
from kefu.crm.selectors import customer_orgs, subscribers_by_numbers
from kefu.orgs.selectors import scope_queryset

from .. import script as pure
from ..models import ScriptVersion, Survey, SurveyChannel, SurveyState, VersionState
from .surveys import SurveyData, survey_answer, survey_create

FORMAT = "kefu-survey/1"
MAX_SAMPLE = 5000
MAX_IMPORT_ROWS = 5000
SAMPLE_COLUMNS = ("token", "number", "customer_id", "org", "queue", "agent", "kind", "subject")


@dataclass
class SampleResult:
    created: list[Survey] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@transaction.atomic
def sample_create(
    *, actor, version: ScriptVersion, numbers: list[str], channel: str = SurveyChannel.THIRD_PARTY
) -> SampleResult:
    """Surveys of ``version`` for the customers behind ``numbers`` the actor may see; the other numbers are
    reported unknown (a number outside the actor's scope answers like one that does not exist)."""
    numbers = [n.strip() for n in dict.fromkeys(numbers) if n and n.strip()]
    if not numbers:
        raise ValidationFailed(_("Give at least one number."), code="no_numbers")
    if len(numbers) > MAX_SAMPLE:
        raise ValidationFailed(_("At most %(max)s numbers at a time.") % {"max": MAX_SAMPLE}, code="too_many")
    lines = subscribers_by_numbers(actor=actor, numbers=numbers)
    orgs = customer_orgs([c for c, _s in lines.values()])
    result = SampleResult()
    for number in numbers:
        if number not in lines:
            result.unknown.append(number)
            continue
        customer_id = lines[number][0]
        result.created.append(
            survey_create(
                actor=actor,
                version=version,
                data=SurveyData(
                    channel=channel, org_id=orgs[customer_id], number=number, customer_id=customer_id
                ),
            )
        )
    return result


def _sample_rows(surveys) -> list[dict[str, str]]:
    return [
        {
            "token": s.token,
            "number": s.number,
            "customer_id": str(s.customer_id or ""),
            "org": s.org.code,
            "queue": s.queue,
            "agent": s.agent.employee_no if s.agent else "",
            "kind": s.order_kind,
            "subject": s.subject,
        }
        for s in surveys
    ]


def pending_sample(*, actor, version: ScriptVersion):
    """The version's surveys still waiting for answers, in the actor's scope."""
    return (
        scope_queryset(Survey.objects.select_related("org", "agent"), actor)
        .filter(version=version, state__in=(SurveyState.PENDING, SurveyState.PARTIAL))
        .order_by("id")
    )


def export_json(*, actor, version: ScriptVersion) -> dict[str, Any]:
    """The script version and its pending sample, in the hand-off format."""
    sample = list(pending_sample(actor=actor, version=version))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=version,
        result_count=len(sample),
        note="survey hand-off (json)",
    )
    return {
        "format": FORMAT,
        "script": {
            "code": version.script.code,
            "name": version.script.name,
            "version": version.number,
            "definition": version.definition,
        },
        "sample": _sample_rows(sample),
    }


def export_sample_csv(*, actor, version: ScriptVersion) -> str:
    sample = list(pending_sample(actor=actor, version=version))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=version,
        result_count=len(sample),
        note="survey hand-off (csv)",
    )
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=SAMPLE_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(_sample_rows(sample))
    return out.getvalue()


def results_template_csv(version: ScriptVersion) -> str:
    """The header of a results file: token, answered_at, then one column per question."""
    script = pure.parse(version.definition)
    return ",".join(["token", "answered_at", *(q.id for q in script.questions)]) + "\n"


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "imported": self.imported,
            "rejected": self.total - self.imported,
            "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in self.errors],
        }


def _rows_of(content: str, kind: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) of a results file; CSV rows are numbered as a spreadsheet shows them."""
    if kind == "json":
        try:
            data = json.loads(content)
        except ValueError:
            raise ValidationFailed(_("The file is not valid JSON."), code="invalid_file") from None
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise ValidationFailed(_('A JSON results file holds {"results": [...]}.'), code="invalid_file")
        rows: list[tuple[int, dict[str, Any]]] = []
        for i, r in enumerate(results, start=1):
            if not isinstance(r, dict):
                rows.append((i, {}))
                continue
            answers: dict[str, Any] = r["answers"] if isinstance(r.get("answers"), dict) else {}
            rows.append((i, {"token": r.get("token"), "answered_at": r.get("answered_at"), **answers}))
        return rows
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if not reader.fieldnames or "token" not in reader.fieldnames:
        raise ValidationFailed(_("The first line must name the columns, token first."), code="invalid_file")
    return [(i, {k: v for k, v in r.items() if k}) for i, r in enumerate(reader, start=2)]


def results_import(*, actor, version: ScriptVersion, content: str, kind: str = "csv") -> ImportReport:
    """Answers of a third party for the version's handed-out surveys; every row on its own (a bad row is
    reported and skipped, the good ones are recorded). Empty cells are unanswered questions."""
    rows = _rows_of(content, kind)
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationFailed(
            _("At most %(max)s rows at a time.") % {"max": MAX_IMPORT_ROWS}, code="too_many"
        )
    script = pure.parse(version.definition)
    qids = {q.id for q in script.questions}
    pending = {s.token: s for s in pending_sample(actor=actor, version=version)}
    report = ImportReport(total=len(rows))
    seen: set[str] = set()
    for number, row in rows:
        token = str(row.get("token") or "").strip()
        if not token or token not in pending:
            report.errors.append(
                RowError(number, "token", str(_("No survey of this version waits for this token.")))
            )
            continue
        if token in seen:
            report.errors.append(RowError(number, "token", str(_("The token appears twice in the file."))))
            continue
        seen.add(token)
        unknown = sorted(k for k in row if k not in qids and k not in ("token", "answered_at"))
        if unknown:
            report.errors.append(RowError(number, unknown[0], str(_("Not a question of this script."))))
            continue
        answered = row.get("answered_at")
        at = parse_datetime(str(answered)) if answered else None
        if answered and at is None:
            report.errors.append(RowError(number, "answered_at", str(_("Not a date and time (ISO 8601)."))))
            continue
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        answers = {k: (None if v in (None, "") else v) for k, v in row.items() if k in qids}
        try:
            taken, waiting = pure.walk(script, answers)
        except pure.AnswerError as exc:
            qid, _sep, message = str(exc).partition(": ")
            report.errors.append(RowError(number, qid, message))
            continue
        if waiting is not None:
            report.errors.append(RowError(number, waiting.id, str(_("This question must be answered."))))
            continue
        try:
            with transaction.atomic():
                survey_answer(actor=actor, survey=pending[token], answers=answers, replace=True, at=at)
        except KefuError as exc:
            report.errors.append(RowError(number, "token", str(exc.message)))
            continue
        report.imported += 1
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=version,
        result_count=report.imported,
        note=f"survey results imported: {report.imported}/{report.total}",
    )
    return report


def version_for_handoff(version: ScriptVersion) -> None:
    if version.state != VersionState.PUBLISHED:
        raise ValidationFailed(_("Only a published version can be handed out."), code="not_published")
