"""Sampling rules and the daily draw: who is asked a survey, and the SMS that carries the link.

A rule is data (source, queue, share, channel, days of rest); ``sample_draw`` applies one rule to one day,
once (``SampleDraw`` is unique per rule and day, so a repeated job changes nothing), reproducibly from its
seed, through ``survey_create`` like every other survey.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_update, snapshot
from kefu.contactcenter.selectors import answered_inbound_calls
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed
from kefu.crm.selectors import customer_orgs
from kefu.params.selectors import param_get
from kefu.workorders.selectors import orders_closed

from .. import sampling as pure
from ..models import SampleDraw, SampleSource, SamplingRule, Survey, SurveyChannel, SurveyScript
from .calls import published_version
from .surveys import SurveyData, survey_create, survey_link

ACTOR = "surveys-sampling"
CHANNELS = (SurveyChannel.SMS, SurveyChannel.CALL, SurveyChannel.THIRD_PARTY, SurveyChannel.WEB)


@dataclass(frozen=True)
class RuleData:
    name: str
    script_id: int
    source: str
    percent: str
    queue: str = ""
    channel: str = SurveyChannel.SMS
    exclude_days: int = 30


def _percent(raw) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) < value <= Decimal(100) or value != round(value, 2):
        raise ValidationFailed(
            _("The share is a percentage above 0 and at most 100 (two decimals)."),
            code="invalid_percent",
            details={"percent": _("Above 0, at most 100.")},
        )
    return value


@transaction.atomic
def rule_create(*, actor, script: SurveyScript, data: RuleData) -> SamplingRule:
    name = (data.name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("The name is required (at most 100 characters)."), code="invalid_name")
    if data.source not in SampleSource.values:
        raise ValidationFailed(_("Unknown sample source."), code="invalid_source")
    if data.channel not in CHANNELS:
        raise ValidationFailed(_("Unknown survey channel."), code="invalid_channel")
    if not 0 <= int(data.exclude_days) <= 365:
        raise ValidationFailed(_("At most 365 days."), code="invalid_days")
    rule = SamplingRule.objects.create(
        name=name,
        org_id=script.org_id,
        script=script,
        source=data.source,
        queue=(data.queue or "").strip()[:32],
        percent=_percent(data.percent),
        channel=data.channel,
        exclude_days=int(data.exclude_days),
    )
    audit_create(
        actor=actor,
        obj=rule,
        fields=("name", "script", "source", "queue", "percent", "channel", "exclude_days"),
    )
    return rule


@transaction.atomic
def rule_set_active(*, actor, rule: SamplingRule, active: bool) -> SamplingRule:
    rule = SamplingRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, ("active",))
    rule.active = active
    rule.save(update_fields=["active"])
    audit_update(actor=actor, obj=rule, before=before)
    return rule


def _day_span(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _candidates(rule: SamplingRule, day: date) -> list[pure.Candidate]:
    start, end = _day_span(day)
    if rule.source == SampleSource.INBOUND_CALLS:
        return [
            pure.Candidate(
                number=r["caller"],
                group=r["queue"],
                data={
                    "customer_id": r["customer_id"],
                    "queue": r["queue"],
                    "agent_id": r["agent_id"],
                    "team_id": r["team_id"],
                    "subject": f"contact:{r['contact_id']}",
                },
            )
            for r in answered_inbound_calls(start=start, end=end)
            if not rule.queue or r["queue"] == rule.queue
        ]
    return [
        pure.Candidate(
            number=r["contact_number"],
            group="",
            data={
                "customer_id": r["customer_id"],
                "org_id": r["org_id"],
                "agent_id": r["creator_id"],
                "team_id": r["holder_team_id"],
                "order_kind": r["kind"],
                "subject": f"order:{r['serial']}",
            },
        )
        for r in orders_closed(kind="complaint", start=start, end=end)
    ]


def _recent_numbers(numbers: set[str], days: int, before: datetime) -> set[str]:
    if not days or not numbers:
        return set()
    since = before - timedelta(days=days)
    # surveys_number_created
    return set(
        Survey.objects.filter(number__in=numbers, created_at__gte=since).values_list("number", flat=True)
    )


def sample_draw(*, rule: SamplingRule, day: date, seed: str | None = None) -> SampleDraw:
    """Draw ``rule``'s sample of ``day`` (once: a second call returns the first draw)."""
    done = SampleDraw.objects.filter(rule=rule, day=day).first()
    if done is not None:
        return done
    version = published_version(rule.script.code)
    if version is None:
        raise ValidationFailed(_("The rule's script has no published version."), code="not_published")
    seed = seed or f"{rule.pk}:{day.isoformat()}"
    candidates = _candidates(rule, day)
    recent = _recent_numbers({c.number for c in candidates}, rule.exclude_days, clock.now())
    chosen = pure.draw(candidates, percent=rule.percent, seed=seed, recent=recent)
    orgs = customer_orgs([c.data["customer_id"] for c in chosen if c.data.get("customer_id")])
    try:
        with transaction.atomic():
            draw = SampleDraw.objects.create(
                rule=rule, day=day, seed=seed, considered=len(candidates), drawn=len(chosen)
            )
            for c in chosen:
                d = c.data
                org_id = d.get("org_id") or orgs.get(d.get("customer_id") or 0) or rule.org_id
                survey = survey_create(
                    actor=ACTOR,
                    version=version,
                    data=SurveyData(
                        channel=rule.channel,
                        org_id=org_id,
                        number=c.number,
                        customer_id=d.get("customer_id"),
                        queue=d.get("queue", ""),
                        team_id=d.get("team_id"),
                        agent_id=d.get("agent_id"),
                        order_kind=d.get("order_kind", ""),
                        subject=d.get("subject", ""),
                    ),
                )
                if rule.channel == SurveyChannel.SMS:
                    _send_link(survey, version.definition.get("title", ""))
    except IntegrityError:
        raise Conflict(_("This day was drawn meanwhile."), code="already_drawn") from None
    return draw


def _send_link(survey: Survey, title: str) -> None:
    """The SMS with the questionnaire's signed link, through the outlets (sent by their worker)."""
    from kefu.outlets.services.messages import send_message

    link = str(param_get("surveys.link_base")).rstrip("/") + survey_link(survey)
    send_message(
        recipient=survey.number,
        outlet="sms",
        idempotency_key=f"survey-{survey.pk}",
        purpose="survey",
        body=_("%(title)s: please tell us how we did, %(link)s") % {"title": title, "link": link},
        customer_id=survey.customer_id,
        org_id=survey.org_id,
        actor=ACTOR,
        source="surveys",
    )


def samples_draw_day(*, day: date | None = None) -> int:
    """Every active rule's draw of ``day`` (yesterday by default); the number of surveys created."""
    day = day or (timezone.localdate(clock.now()) - timedelta(days=1))
    made = 0
    for rule in SamplingRule.objects.filter(active=True).select_related("script"):
        if SampleDraw.objects.filter(rule=rule, day=day).exists():
            continue
        try:
            made += sample_draw(rule=rule, day=day).drawn
        except (ValidationFailed, Conflict):
            continue  # an unpublished script or a concurrent draw: the next run tries again
    return made
