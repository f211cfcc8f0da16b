"""Forms of the survey pages."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import DateField

from . import script as pure
from .stats import GROUPS


class ScriptForm(forms.Form):
    code = forms.RegexField(label=_("Code"), regex=r"^[-a-zA-Z0-9_]+$", max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    org = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(str(o.pk), f"{o.code} {o.name}") for o in orgs]


class DraftForm(forms.Form):
    definition = forms.CharField(
        label=_("Script (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "mono"}),
        max_length=200_000,
        help_text=_("See docs/surveys.md for the question types and branching."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_definition(self):
        try:
            value = json.loads(self.cleaned_data["definition"])
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        problems = pure.problems_of(value)
        if problems:
            raise forms.ValidationError(problems)
        return value


class SampleForm(forms.Form):
    numbers = forms.CharField(
        label=_("Numbers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=100_000,
        help_text=_("One per line (or separated by commas)."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            ("third_party", _("Third party")),
            ("web", _("Web questionnaire")),
            ("sms", _("SMS link")),
            ("call", _("Outbound call")),
        ],
    )


class ResultsForm(forms.Form):
    file = forms.FileField(label=_("Results file (CSV or JSON)"))


class StatsForm(forms.Form):
    start = DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Inclusive."),
    )
    group_by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            ("all", _("All")),
            ("day", _("Day")),
            ("month", _("Month")),
            ("org", _("Organisation")),
            ("queue", _("Queue")),
            ("team", _("Team")),
            ("agent", _("Agent")),
            ("kind", _("Work-order kind")),
        ],
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[
            ("all", _("Work orders and surveys")),
            ("orders", _("Work-order replies")),
            ("surveys", _("Surveys")),
        ],
    )

    def clean_group_by(self):
        value = self.cleaned_data.get("group_by") or "all"
        return value if value in GROUPS else "all"


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    script = forms.ChoiceField(label=_("Survey script"))
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            ("inbound_calls", _("Inbound callers (per queue)")),
            ("closed_complaints", _("Closed complaints")),
        ],
    )
    queue = forms.CharField(
        label=_("Queue"),
        max_length=32,
        required=False,
        help_text=_("Only this queue's callers (every queue when empty)."),
    )
    percent = forms.DecimalField(label=_("Share (%)"), min_value=0.01, max_value=100, decimal_places=2)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            ("sms", _("SMS link")),
            ("call", _("Outbound call")),
            ("third_party", _("Third party")),
            ("web", _("Web questionnaire")),
        ],
    )
    exclude_days = forms.IntegerField(
        label=_("Not the same customer within (days)"), min_value=0, max_value=365, initial=30
    )

    def __init__(self, *args, scripts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["script"].choices = [(str(s.pk), f"{s.code} {s.name}") for s in scripts]


class DrawForm(forms.Form):
    day = DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
