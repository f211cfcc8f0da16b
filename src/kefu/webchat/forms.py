"""Forms of the web chat pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EntryForm(forms.Form):
    hotline = forms.CharField(label=_("Hotline number"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=64)
    org = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    queue = forms.TypedChoiceField(label=_("Chat queue"), coerce=int)
    welcome = forms.CharField(label=_("Welcome text"), max_length=300, required=False)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, orgs=(), queues=(), **kw):
        super().__init__(*args, **kw)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
        self.fields["queue"].choices = [(q.pk, f"{q.name} ({q.code})") for q in queues if q.channel == "chat"]


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)
