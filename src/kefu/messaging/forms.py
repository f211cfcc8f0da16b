from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import DateTimeField

from .models import Display, Priority

_WHEN = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class InboxFilterForm(forms.Form):
    since = DateTimeField(label=_("From"), required=False, **_WHEN)
    until = DateTimeField(label=_("Until"), required=False, **_WHEN)
    sender = forms.CharField(label=_("Sender"), required=False, max_length=64)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All")), ("unread", _("Unread")), ("read", _("Read")),
        ("unacknowledged", _("Not acknowledged"))])
    q = forms.CharField(label=_("Subject"), required=False, max_length=100)


class SentFilterForm(forms.Form):
    since = DateTimeField(label=_("From"), required=False, **_WHEN)
    until = DateTimeField(label=_("Until"), required=False, **_WHEN)
    receiver = forms.CharField(label=_("Recipient"), required=False, max_length=64)
    q = forms.CharField(label=_("Subject"), required=False, max_length=100)


class ReceiptFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Read state"), required=False, choices=[
        ("", _("All")), ("read", _("Read")), ("unread", _("Unread"))])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ComposeForm(forms.Form):
    """The compose page: recipients by 工号, teams, roles, organisations or everyone, and the message."""

    people = forms.CharField(label=_("People (employee numbers)"), required=False, max_length=4000,
                             help_text=_("Separated by commas or spaces."))
    teams = forms.MultipleChoiceField(label=_("Teams"), required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False)
    orgs = forms.MultipleChoiceField(label=_("Organisations"), required=False)
    subtree = forms.BooleanField(label=_("Include sub-organisations"), required=False, initial=True)
    everyone = forms.BooleanField(label=_("Everyone in my scope"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}))
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int,
                                      initial=Priority.NORMAL)
    display = forms.ChoiceField(label=_("Display"), choices=Display.choices, initial=Display.INBOX)
    sound = forms.BooleanField(label=_("Play a sound"), required=False)
    expires_at = DateTimeField(label=_("Expires at"), required=False, **_WHEN)
    files = MultipleFileField(label=_("Attachments"), required=False)
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, choices: dict, broadcast: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].choices = [(t.pk, f"{t.name} · {t.org.name}") for t in choices["teams"]]
        self.fields["roles"].choices = [(r.pk, r.name) for r in choices["roles"]]
        self.fields["orgs"].choices = [(o.pk, o.name) for o in choices["orgs"]]
        if not broadcast:
            for name in ("teams", "roles", "orgs", "subtree", "everyone"):
                del self.fields[name]
