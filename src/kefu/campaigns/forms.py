"""Forms of the campaign pages; the services check everything again."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import DialMode, Kind, Outcome


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    queue_id = forms.TypedChoiceField(label=_("Queue"), coerce=int, help_text=_(
        "Calls wait in this queue and are offered to its agents as previews."))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    outcomes = forms.MultipleChoiceField(label=_("Outcomes agents may record"), widget=forms.CheckboxSelectMultiple,
                                         choices=[(o, label) for o, label in Outcome.choices
                                                  if o in rules.AGENT_OUTCOMES])
    pacing = forms.IntegerField(label=_("Targets in flight at most"), min_value=1, max_value=500, initial=5)
    dial_mode = forms.ChoiceField(label=_("Dialling mode"), choices=DialMode.choices, initial=DialMode.PREVIEW,
                                  required=False)
    max_attempts = forms.IntegerField(label=_("Attempts per target"), min_value=1, max_value=10, initial=3)
    retry_minutes = forms.IntegerField(label=_("Minutes between attempts"), min_value=1, max_value=10080, initial=60)
    recent_days = forms.IntegerField(label=_("Skip numbers called by a campaign in the last days"), min_value=0,
                                     max_value=365, initial=30)
    hours_start = forms.TimeField(label=_("Calling from"), initial="09:00", widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))
    hours_end = forms.TimeField(label=_("Calling until"), initial="21:00", widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))
    auto_closed_complaints = forms.BooleanField(label=_("Add customers whose complaint is closed"), required=False,
                                                help_text=_("For callbacks after service."))
    sample_percent = forms.IntegerField(label=_("Share of closed complaints called back (%)"), min_value=0,
                                        max_value=100, initial=100)
    script = forms.CharField(widget=forms.HiddenInput, required=False, initial="[]")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, queues: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue_id"].choices = queues
        if not self.is_bound and "outcomes" not in self.initial:
            self.initial["outcomes"] = list(rules.AGENT_OUTCOMES)

    def clean_script(self) -> list[dict]:
        try:
            steps = json.loads(self.cleaned_data.get("script") or "[]")
        except ValueError:
            raise forms.ValidationError(_("The script could not be read; write its steps again.")) from None
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            raise forms.ValidationError(_("The script could not be read; write its steps again."))
        return steps


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_(
        "Columns: number (号码), name (姓名), note (备注); a header row is recognised."))


class QueryImportForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=[
        ("", "—"), ("vip", _("VIP")), ("standard", _("Standard"))])
    brand = forms.ChoiceField(label=_("Brand"), required=False, choices=[
        ("", "—"), ("gotone", _("GoTone")), ("mzone", _("M-Zone")), ("easyown", _("Easy-Own")),
        ("enterprise", _("Enterprise"))])
    name = forms.CharField(label=_("Name starts with"), required=False, max_length=64)


class DncForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=32)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class DncImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (number, reason)"))
