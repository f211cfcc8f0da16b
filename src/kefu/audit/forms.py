"""The audit search form (GET): it only shapes the conditions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import DateTimeField

from .display import object_type_choices
from .models import AuditAction
from .selectors import AuditFilters

_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


class AuditSearchForm(forms.Form):
    since = DateTimeField(
        label=_("From"), required=False, input_formats=_DT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    until = DateTimeField(
        label=_("To"), required=False, input_formats=_DT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    actor = forms.CharField(label=_("Employee number"), max_length=100, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("Any action"))] + list(AuditAction.choices))
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    text = forms.CharField(label=_("Object contains"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Any type"))] + object_type_choices()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end must not be before the start."))
        return data

    def filters(self) -> AuditFilters:
        return AuditFilters(**{k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
