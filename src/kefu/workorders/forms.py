"""Forms for creating orders (fields per kind) and for acting on them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import DateTimeField
from kefu.orgs.models import Organisation

from .kinds import SPECS, SUGGESTION_CATEGORIES, SUGGESTION_VERDICTS, Kind
from .models import Channel, Satisfaction


class OrderCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, v) for k, v in Kind.choices if k not in ("coordination",)])
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ChoiceField(label=_("Contact channel"), choices=Channel.choices, initial=Channel.PHONE)
    subscriber_number = forms.CharField(label=_("Subscriber number"), max_length=20, required=False)
    contact_number = forms.CharField(label=_("Call-back number"), max_length=32, required=False)
    appeal_of = forms.CharField(label=_("Complaint appealed (serial)"), max_length=20, required=False)

    def __init__(self, *args, kind: str = Kind.COMPLAINT, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_fields = []
        spec = SPECS.get(kind)
        for rule in spec.fields if spec else ():
            name = f"f_{rule.name}"
            if rule.choices:
                field = forms.ChoiceField(label=rule.label, required=rule.required,
                                          choices=[("", "—")] + [(k, v) for k, v in rule.choices.items()])
            elif rule.value_type == "datetime":
                field = forms.CharField(label=rule.label, required=rule.required, max_length=rule.max_length,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
            else:
                field = forms.CharField(label=rule.label, required=rule.required, max_length=rule.max_length)
            self.fields[name] = field
            self.kind_fields.append(name)
        if kind != Kind.APPEAL:
            del self.fields["appeal_of"]

    def kind_values(self) -> dict:
        return {n[2:]: self.cleaned_data.get(n) or "" for n in self.kind_fields if self.cleaned_data.get(n)}


class ActionForm(forms.Form):
    """One form for every action; the template shows the fields the action needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Opinion / result"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Verdict"), required=False,
                                choices=[("", "—")] + list(SUGGESTION_VERDICTS.items()))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", "—")] + list(SUGGESTION_CATEGORIES.items()))
    to_org = forms.ModelChoiceField(label=_("To organisation"), required=False,
                                    queryset=Organisation.objects.filter(active=True).order_by("path"))
    to_staff = forms.CharField(label=_("To person (employee number)"), max_length=32, required=False)
    satisfaction = forms.TypedChoiceField(label=_("Customer satisfaction"), required=False, coerce=int,
                                          empty_value=None, choices=[("", "—")] + list(Satisfaction.choices))
    late_reason = forms.CharField(label=_("Reason for lateness"), max_length=500, required=False)
    appeal_source = forms.ChoiceField(label=_("Appeal source"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .kinds import APPEAL_SOURCES

        self.fields["appeal_source"].choices = [("", "—")] + list(APPEAL_SOURCES.items())


class QueryForm(forms.Form):
    serial = forms.CharField(label=_("Serial"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—")] + list(Kind.choices))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", "—")])
    category = forms.CharField(label=_("Category"), max_length=32, required=False)
    complainant = forms.CharField(label=_("Complainant (name or number)"), max_length=64, required=False)
    channel = forms.ChoiceField(label=_("Way of complaint"), required=False, choices=[("", "—")] + list(Channel.choices))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason / text"), max_length=100, required=False)
    handler = forms.CharField(label=_("Handler (employee number)"), max_length=32, required=False)
    overdue = forms.NullBooleanField(label=_("Overdue"), required=False, widget=forms.Select(
        choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]))
    created_from = DateTimeField(label=_("Created from"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    created_to = DateTimeField(label=_("Created before"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import State

        self.fields["state"].choices = [("", "—")] + list(State.choices)

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
