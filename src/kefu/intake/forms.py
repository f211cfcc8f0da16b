"""Forms of the intake pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImapSecurity, Registration


class MailboxForm(forms.Form):
    hotline = forms.CharField(label=_("Hotline number"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=64)
    org = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    queue = forms.TypedChoiceField(label=_("Queue"), coerce=int)
    imap_host = forms.CharField(label=_("IMAP server"), max_length=200)
    imap_port = forms.IntegerField(label=_("IMAP port"), min_value=1, max_value=65535, initial=993)
    imap_security = forms.ChoiceField(label=_("Connection security"), choices=ImapSecurity.choices)
    imap_user = forms.CharField(label=_("IMAP user"), max_length=200)
    password = forms.CharField(label=_("IMAP password"), max_length=200, required=False,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text=_("Never shown again; leave empty to keep the one set."))
    folder = forms.CharField(label=_("Folder"), max_length=100, initial="INBOX")
    smtp_from = forms.EmailField(label=_("Sender address of answers"), max_length=200)
    enabled = forms.BooleanField(label=_("Enabled (read by the worker)"), required=False, initial=True)

    def __init__(self, *args, orgs=(), queues=(), **kw):
        super().__init__(*args, **kw)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
        self.fields["queue"].choices = [(q.pk, f"{q.name} ({q.code})") for q in queues]


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Registration.Kind.choices)
    org = forms.TypedChoiceField(label=_("Received at (service hall or office)"), coerce=int)
    subscriber_number = forms.CharField(label=_("Customer's number"), max_length=20, required=False,
                                        help_text=_("Leave empty if the customer is unknown."))
    person = forms.CharField(label=_("Name of the writer or visitor"), max_length=100, required=False)
    reply_address = forms.CharField(label=_("Address or phone for the answer"), max_length=200, required=False)
    summary = forms.CharField(label=_("What they ask"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    scan = forms.FileField(label=_("Scanned letter"), required=False)

    def __init__(self, *args, orgs=(), **kw):
        super().__init__(*args, **kw)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
