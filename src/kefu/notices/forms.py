from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import NoticeKind
from .models import RecipientStatus, RequestState


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", "—"), *RequestState.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *NoticeKind.choices])
    problems = forms.BooleanField(label=_("Only with problems"), required=False)


class RecipientFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *RecipientStatus.choices])
    number = forms.CharField(label=_("Number"), required=False, max_length=32)


class SystemForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    callback_url = forms.URLField(label=_("Callback URL"), max_length=300, required=False, assume_scheme="https")
    org = forms.ChoiceField(label=_("Organisation"))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, orgs=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, f"{o.code} {o.name}") for o in orgs]
        if editing:
            del self.fields["code"]
            del self.fields["org"]


class NumberForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=32)
