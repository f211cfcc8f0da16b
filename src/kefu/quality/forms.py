"""Forms of the quality pages. A scoring form's items are edited as text, one item a line:
``key | label | max points | weight`` for an ordinary item, ``key | label | fatal`` for a fatal one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.forms import DateField

from .models import InspectionState, Source
from .reports import GROUPS
from .scoring import ScoringError, items_parse

ITEMS_HELP = _("One item a line: key | label | max points | weight; a fatal item: key | label | fatal")


def items_from_text(text: str) -> list[dict]:
    rows = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2].lower() in ("fatal", "致命"):
            rows.append({"key": parts[0], "label": parts[1], "fatal": True})
            continue
        if len(parts) not in (3, 4) or not all(p.lstrip("-").isdigit() for p in parts[2:]):
            raise forms.ValidationError(_("Line %(n)s: write key | label | max points | weight.") % {"n": n})
        rows.append(
            {
                "key": parts[0],
                "label": parts[1],
                "max_points": int(parts[2]),
                "weight": int(parts[3]) if len(parts) == 4 else 1,
            }
        )
    try:
        return [i.as_dict() for i in items_parse(rows)]
    except ScoringError as exc:
        raise forms.ValidationError(f"{exc.field}: {exc.message}") from None


def items_to_text(items: list[dict]) -> str:
    return "\n".join(
        f"{i['key']} | {i['label']} | fatal"
        if i.get("fatal")
        else f"{i['key']} | {i['label']} | {i['max_points']} | {i['weight']}"
        for i in items
    )


class ItemsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8})

    def clean(self, value):
        return items_from_text(super().clean(value))


class ScoreFormForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    org = forms.ChoiceField(label=_("Organisation"))
    queue_code = forms.CharField(label=_("Queue code"), max_length=32, required=False)
    order_kind = forms.ChoiceField(label=_("Work-order kind"), required=False)
    items = ItemsField(label=_("Items"), help_text=ITEMS_HELP)

    def __init__(self, *args, orgs=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, f"{o.code} {o.name}") for o in orgs]
        self.fields["order_kind"].choices = [("", "—"), *kinds]


class PublishForm(forms.Form):
    items = ItemsField(label=_("Items"), help_text=ITEMS_HELP)


def _day_start(d) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


class PeriodForm(forms.Form):
    """A period of whole days, ``start`` to ``end`` inclusive."""

    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)

    def period(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate(clock.now())
        start = data.get("start") or today.replace(day=1)
        end = data.get("end") or today
        if end < start:
            start, end = end, start
        return _day_start(start), _day_start(end + timedelta(days=1))


class PickForm(PeriodForm):
    source = forms.ChoiceField(label=_("Rule"), choices=[c for c in Source.choices if c[0] != Source.MANUAL])
    per_agent = forms.IntegerField(
        label=_("Contacts per agent"), min_value=1, max_value=50, initial=2, required=False
    )
    min_talk_seconds = forms.IntegerField(
        label=_("Talked longer than (s)"), min_value=1, max_value=86_400, initial=600, required=False
    )
    seed = forms.IntegerField(label=_("Seed (optional)"), min_value=0, max_value=2**31, required=False)
    form = forms.ChoiceField(label=_("Scoring form"), required=False)

    def __init__(self, *args, score_forms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("The form that fits each contact"))] + [
            (f.pk, f.name) for f in score_forms
        ]


class ManualPickForm(forms.Form):
    contact = forms.IntegerField(label=_("Contact number"), min_value=1, max_value=2**62)
    form = forms.ChoiceField(label=_("Scoring form"), required=False)

    def __init__(self, *args, score_forms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("The form that fits the contact"))] + [
            (f.pk, f.name) for f in score_forms
        ]


class InspectionFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", "—"), *InspectionState.choices])
    source = forms.ChoiceField(label=_("Picked by"), required=False, choices=[("", "—"), *Source.choices])
    agent = forms.CharField(label=_("Agent (employee number)"), required=False, max_length=32)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the score is wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("upheld", _("Uphold the score")), ("revised", _("Revise the score"))]
    )
    score = forms.DecimalField(
        label=_("Revised score"), min_value=0, max_value=100, decimal_places=1, max_digits=4, required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImprovementForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    detail = forms.CharField(
        label=_("Detail"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, required=False)


class ReportForm(PeriodForm):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            (g, label)
            for g, label in zip(
                GROUPS,
                (_("Agent"), _("Team"), _("Organisation"), _("Day"), _("Week"), _("Month")),
                strict=True,
            )
        ],
    )
