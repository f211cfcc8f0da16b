from django import forms
from django.utils.translation import gettext_lazy as _


class StaffingForm(forms.Form):
    queue = forms.TypedChoiceField(label=_("Queue"), required=False, coerce=int, empty_value=None)
    days = forms.IntegerField(label=_("History (days)"), min_value=1, max_value=366, initial=28)
    interval = forms.TypedChoiceField(
        label=_("Interval"), coerce=int, initial=30, choices=[(15, "15 min"), (30, "30 min"), (60, "60 min")]
    )
    target = forms.ChoiceField(
        label=_("Target"),
        initial="sl",
        choices=[("sl", _("Service level")), ("asa", _("Average speed of answer"))],
    )
    percent = forms.FloatField(label=_("Answered (%)"), min_value=1, max_value=99.9, initial=80)
    seconds = forms.FloatField(label=_("Within / at most (seconds)"), min_value=1, max_value=3600, initial=20)
    patience = forms.FloatField(
        label=_("Caller patience (seconds, empty: Erlang C)"), required=False, min_value=1, max_value=86400
    )
    shrinkage = forms.FloatField(label=_("Shrinkage (%)"), min_value=0, max_value=89, initial=30)
    calls_per_hour = forms.FloatField(
        label=_("Calls per hour"), required=False, min_value=0, max_value=1_000_000
    )
    aht = forms.FloatField(
        label=_("Average handle time (seconds)"), required=False, min_value=1, max_value=86400
    )

    def __init__(self, *args, queues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [("", _("All queues"))] + [
            (q.pk, f"{q.code} {q.name}") for q in queues
        ]


class RunForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    scenario = forms.JSONField(label=_("Scenario (JSON)"), widget=forms.Textarea(attrs={"rows": 18}))
