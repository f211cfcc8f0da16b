"""Forms of the staff and permission pages.

They only shape input and limit choices to what the person may see; the
rules (agents-only teams, password policy, who may hand out what) live in
the services and reach the form through ``kefu.core.forms.apply_error``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.forms import DateField, DateTimeField

from . import registry, selectors
from .models import Gender, Position, Role, SkillGroup, Staff, StaffLevel, StaffStatus, Team

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name} ({obj.code})"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.org.name}"


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(label, **kwargs):
    return DateTimeField(
        label=label, input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT), **kwargs
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=64, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Employee number or name")}))
    org = OrgChoiceField(label=_("Organisation"), queryset=None, required=False, empty_label=_("All"))
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.order_by("name"), required=False,
                                  empty_label=_("All"))
    team = TeamChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All"))
    position = forms.ChoiceField(label=_("Position"), choices=[("", _("All")), *Position.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *StaffStatus.choices], required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.visible_orgs(actor=actor)
        self.fields["team"].queryset = selectors.team_list(actor=actor)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"q": d["q"], "org_id": d["org"].pk if d["org"] else None, "role_id": d["role"].pk if d["role"] else None,
                "team_id": d["team"].pk if d["team"] else None, "position": d["position"], "status": d["status"]}


class StaffProfileForm(forms.Form):
    """Fields shared by creating and editing a person."""

    name = forms.CharField(label=_label(Staff, "name"), max_length=64)
    org = OrgChoiceField(label=_label(Staff, "org"), queryset=None)
    role = forms.ModelChoiceField(label=_label(Staff, "role"), queryset=Role.objects.order_by("name"),
                                  required=False, empty_label=_("— No role —"))
    position = forms.ChoiceField(label=_label(Staff, "position"), choices=Position.choices)
    team = TeamChoiceField(label=_label(Staff, "team"), queryset=None, required=False,
                           empty_label=_("— No team —"), help_text=_("Teams hold agents only."))
    level = forms.TypedChoiceField(label=_label(Staff, "level"), choices=StaffLevel.choices, coerce=int,
                                   initial=StaffLevel.JUNIOR)
    gender = forms.ChoiceField(label=_label(Staff, "gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED)
    birth_date = DateField(label=_label(Staff, "birth_date"), required=False, widget=_date_widget())
    phone = forms.CharField(label=_label(Staff, "phone"), max_length=32, required=False)
    email = forms.EmailField(label=_label(Staff, "email"), max_length=254, required=False)
    address = forms.CharField(label=_label(Staff, "address"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.visible_orgs(actor=actor)
        self.fields["team"].queryset = selectors.team_list(actor=actor)


class StaffCreateForm(StaffProfileForm):
    employee_no = forms.CharField(label=_label(Staff, "employee_no"), max_length=32)
    password = forms.CharField(label=_("Initial password"), max_length=128, strip=False,
                               widget=forms.PasswordInput(render_value=False))

    field_order = ["employee_no", "name", "password", "org", "role", "position", "team", "level"]


class StaffStatusForm(forms.Form):
    status = forms.ChoiceField(label=_label(Staff, "status"), choices=StaffStatus.choices)


class _NewPasswordMixin(forms.Form):
    new_password = forms.CharField(label=_("New password"), max_length=128, strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("Repeat the new password"), max_length=128, strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class ResetPasswordForm(_NewPasswordMixin):
    pass


class OwnPasswordForm(_NewPasswordMixin):
    old_password = forms.CharField(label=_("Current password"), max_length=128, strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["old_password", "new_password", "new_password2"]


class SkillLevelForm(forms.Form):
    skill_group = forms.ModelChoiceField(label=_("Skill group"), queryset=SkillGroup.objects.order_by("code"))
    level = forms.IntegerField(label=_("Skill level"), min_value=1, max_value=10, initial=5)


class HolderForm(forms.Form):
    employee_no = forms.CharField(label=_("Employee number"), max_length=32)
    level = forms.IntegerField(label=_("Skill level"), min_value=1, max_value=10, initial=5)


class RoleForm(forms.Form):
    name = forms.CharField(label=_label(Role, "name"), max_length=64)
    description = forms.CharField(label=_label(Role, "description"), max_length=255, required=False)
    is_super = forms.BooleanField(label=_label(Role, "is_super"), required=False,
                                  help_text=_("Unrestricted: every permission, now and in future."))


def code_choices():
    return [(n.code, f"{n.code} · {n.label}") for n in registry.nodes()]


class BatchGrantForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(label=capfirst(_("roles")), queryset=Role.objects.filter(is_super=False),
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    codes = forms.MultipleChoiceField(label=_("Permissions"), choices=code_choices,
                                      widget=forms.SelectMultiple(attrs={"size": 12}))
    revoke = forms.BooleanField(label=_("Revoke instead of grant"), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_label(Team, "name"), max_length=64)
    org = OrgChoiceField(label=_label(Team, "org"), queryset=None)
    leader_no = forms.CharField(label=_("Leader's employee number"), max_length=32, required=False)
    description = forms.CharField(label=_label(Team, "description"), max_length=255, required=False)

    def __init__(self, *args, actor, fixed_org=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.visible_orgs(actor=actor)
        if fixed_org:
            del self.fields["org"]


class MemberForm(forms.Form):
    employee_no = forms.CharField(label=_("Employee number"), max_length=32)


class SkillGroupForm(forms.Form):
    code = forms.RegexField(label=_label(SkillGroup, "code"), max_length=32, regex=r"^[A-Za-z0-9_.-]+$",
                            help_text=_("Letters, digits, “-”, “_” and “.”; routing rules refer to it."))
    name = forms.CharField(label=_label(SkillGroup, "name"), max_length=64)
    description = forms.CharField(label=_label(SkillGroup, "description"), max_length=255, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


def split_employee_nos(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,，;；、]+", text or "") if n]


class TemporaryForm(forms.Form):
    holders = forms.CharField(
        label=_("Holders"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Employee numbers, separated by spaces or commas")}),
    )
    codes = forms.MultipleChoiceField(label=_("Permissions"), choices=code_choices,
                                      widget=forms.CheckboxSelectMultiple)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            now = clock.now().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)
            self.initial.setdefault("ends_at", now + timedelta(hours=8))

    def clean_holders(self):
        nos = split_employee_nos(self.cleaned_data["holders"])
        if not nos:
            raise forms.ValidationError(_("Name at least one holder."))
        return nos


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=64,
                           help_text=_("What the token is for, e.g. “BOSS notice gateway”."))
    expires_at = DateField(label=_("Expires on"), required=False, widget=_date_widget(),
                                 help_text=_("Leave empty for a token that lasts until revoked."))
