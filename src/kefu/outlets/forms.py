from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import DateTimeField

from .models import GatewayKind, MessageStatus, Purpose


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + MessageStatus.choices)
    outlet = forms.ChoiceField(label=_("Outlet"), required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", _("All"))] + Purpose.choices)
    recipient = forms.CharField(label=_("Recipient"), required=False, max_length=254)
    since = DateTimeField(label=_("From"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    until = DateTimeField(label=_("Until"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [("", _("All"))] + [(o.code, o.name) for o in outlets]


class TemplateForm(forms.Form):
    outlet = forms.ChoiceField(label=_("Outlet"))
    code = forms.SlugField(label=_("Code"), max_length=48)
    name = forms.CharField(label=_("Name"), max_length=64)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False,
                              help_text=_("E-mail only; may use variables too."))
    body = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Variables are written {{ name }}; the text is sent as written."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, outlets=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [(o.code, o.name) for o in outlets]
        if editing:
            self.fields["outlet"].disabled = True


class OptOutForm(forms.Form):
    address = forms.CharField(label=_("Number or address"), max_length=254, required=False)
    outlet = forms.ChoiceField(label=_("Outlet"), required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False,
                                choices=[("", _("Every purpose"))] + Purpose.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [("", _("Every outlet"))] + [(o.code, o.name) for o in outlets]


class OutletForm(forms.Form):
    active = forms.BooleanField(label=_("Active"), required=False)
    rate_per_second = forms.FloatField(label=_("Messages per second"), min_value=0.01, max_value=10_000)
    burst = forms.IntegerField(label=_("Burst"), min_value=1, max_value=100_000,
                               help_text=_("Messages that may leave at once after a quiet time."))
    gateway = forms.ChoiceField(label=_("Gateway"), required=False, choices=GatewayKind.choices)
    gateway_url = forms.CharField(label=_("Gateway URL"), max_length=300, required=False)
    gateway_secret = forms.CharField(label=_("Gateway secret"), max_length=128, required=False,
                                     widget=forms.PasswordInput(render_value=False),
                                     help_text=_("Leave empty to keep the current secret."))
    sender = forms.CharField(label=_("Sender"), max_length=128, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
