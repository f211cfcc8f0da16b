"""Forms of the organisation pages. They only shape input; the rules live in
``services`` and reach the form through ``kefu.core.forms.apply_error``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExternalKind, Organisation, OrgKind

TOP = ""  # value of the "top of the tree" choice


def _parent_choices(rows, *, allow_top: bool):
    choices = [(TOP, _("— Top of the tree —"))] if allow_top else []
    for org, level in rows:
        indent = "\u3000" * level
        choices.append((str(org.pk), f"{indent}{org.name} ({org.code}) · {org.get_kind_display()}"))
    return choices


def _field(name: str):
    return Organisation._meta.get_field(name)


class OrgCreateForm(forms.Form):
    code = forms.CharField(label=_field("code").verbose_name, max_length=32,
                           help_text=_("Letters, digits, “-”, “_” and “.”; cannot be changed later."))
    name = forms.CharField(label=_field("name").verbose_name, max_length=100)
    kind = forms.ChoiceField(label=_field("kind").verbose_name, choices=OrgKind.choices)
    parent = forms.ChoiceField(label=_field("parent").verbose_name, required=False)
    external_kind = forms.ChoiceField(
        label=_field("external_kind").verbose_name, choices=ExternalKind.choices, required=False,
        help_text=_("Only for external parties."),
    )
    phone = forms.CharField(label=_field("phone").verbose_name, max_length=32, required=False)
    address = forms.CharField(label=_field("address").verbose_name, max_length=200, required=False)

    def __init__(self, *args, parent_rows=(), allow_top=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = _parent_choices(parent_rows, allow_top=allow_top)
        self.fields["parent"].required = not allow_top

    def parent_id(self) -> int | None:
        value = self.cleaned_data.get("parent")
        return int(value) if value else None


class OrgEditForm(forms.Form):
    name = forms.CharField(label=_field("name").verbose_name, max_length=100)
    phone = forms.CharField(label=_field("phone").verbose_name, max_length=32, required=False)
    address = forms.CharField(label=_field("address").verbose_name, max_length=200, required=False)
    external_kind = forms.ChoiceField(
        label=_field("external_kind").verbose_name,
        choices=[c for c in ExternalKind.choices if c[0]], required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, org: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if org.kind != OrgKind.EXTERNAL:
            del self.fields["external_kind"]
        else:
            self.fields["external_kind"].required = True


class OrgMoveForm(forms.Form):
    parent = forms.ChoiceField(label=_("New parent"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, parent_rows=(), allow_top=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = _parent_choices(parent_rows, allow_top=allow_top)
        self.fields["parent"].required = not allow_top

    def parent_id(self) -> int | None:
        value = self.cleaned_data.get("parent")
        return int(value) if value else None
