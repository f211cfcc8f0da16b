"""Forms of the customer pages. They check shape (lengths, choices); the
services check the rules and their errors are put back on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.iam.selectors import staff_by_employee_nos
from kefu.orgs.selectors import org_internal_list

from .models import (
    AccountStatus,
    Brand,
    CertificateType,
    Customer,
    CustomerKind,
    PayMethod,
    Tier,
    VipLevel,
)

_ERROR_FIELDS = {
    "invalid_service_password": "service_password",
    "weak_service_password": "service_password",
    "invalid_number": "number",
    "invalid_certificate_type": "certificate_type",
    "invalid_balance": "balance",
}
_RENAMED = {"manager": "manager_employee_no", "org_id": "org"}


def apply_service_error(form, exc: KefuError, *, rename: dict[str, str] | None = None) -> None:
    """Put a service error on the field it names (``details.field``) or on the form."""
    field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
    field = {**_RENAMED, **(rename or {})}.get(field, field) or _ERROR_FIELDS.get(exc.code)
    if field in form.fields:
        form.add_error(field, str(exc.message))
    else:
        apply_error(form, exc)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Number, name or certificate number"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autofocus": True,
                                                      "placeholder": _("e.g. 13912345678, 王伟, 440106…"),
                                                      "data-testid": "customer-q"}))
    name_match = forms.ChoiceField(label=_("Names"), required=False,
                                   choices=[("prefix", _("starting with")), ("contains", _("containing"))])
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices])
    brand = forms.ChoiceField(label=_("Brand"), required=False, choices=[("", _("All brands")), *Brand.choices])

    def has_conditions(self) -> bool:
        return any(self.cleaned_data.get(k) for k in ("q", "tier", "brand"))


def _org_field(actor) -> forms.ModelChoiceField:
    orgs = org_internal_list(actor=actor)
    return forms.ModelChoiceField(label=_("Home branch"), queryset=orgs)


class _ProfileForm(forms.Form):
    """Fields shared by the create and edit forms."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomerKind.choices)
    certificate_type = forms.ChoiceField(label=_("Certificate type"), choices=CertificateType.choices)
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.STANDARD)
    vip_level = forms.ChoiceField(label=_("VIP level"), choices=VipLevel.choices, required=False)
    manager_employee_no = forms.CharField(label=_("Customer manager (employee number)"), max_length=32,
                                          required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["org"] = _org_field(actor)
        self.order_fields(self.field_order)

    def clean_manager_employee_no(self):
        value = self.cleaned_data["manager_employee_no"].strip()
        if not value:
            return None
        # Looked up within the actor's scope: a number outside it is answered like one that does not exist.
        found, _missing = staff_by_employee_nos(actor=self.actor, employee_nos=[value])
        if not found:
            raise forms.ValidationError(_("No staff member has employee number %(no)s."), params={"no": value})
        return found[0]


class CustomerCreateForm(_ProfileForm):
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=32)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    service_password = forms.CharField(
        label=_("Service password"), max_length=6, min_length=6, required=False,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
        help_text=_("6 digits chosen by the customer; may be set later."),
    )
    account_name = forms.CharField(label=_("Account name"), max_length=100,
                                   help_text=_("The first account; usually the customer's name."))
    pay_method = forms.ChoiceField(label=_("Payment method"), choices=PayMethod.choices)
    number = forms.CharField(label=_("Mobile number"), max_length=11, min_length=11, required=False,
                             help_text=_("Optional: the first line, billed to the account."))
    brand = forms.ChoiceField(label=_("Brand"), choices=Brand.choices, required=False)
    plan = forms.CharField(label=_("Plan"), max_length=100, required=False)

    field_order = ["name", "kind", "certificate_type", "certificate_no", "address", "org", "tier", "vip_level",
                   "manager_employee_no", "service_password", "account_name", "pay_method", "number", "brand",
                   "plan"]

    def clean(self):
        data = super().clean()
        if data.get("number") and not data.get("brand"):
            self.add_error("brand", _("Choose the brand of the line."))
        return data


class CustomerEditForm(_ProfileForm):
    """Identity fields are typed anew rather than shown, so editing never reveals them."""

    new_certificate_no = forms.CharField(label=_("New certificate number"), max_length=32, required=False,
                                         help_text=_("Leave blank to keep the current one."))
    new_address = forms.CharField(label=_("New address"), max_length=200, required=False,
                                  help_text=_("Leave blank to keep the current one."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["name", "kind", "certificate_type", "new_certificate_no", "new_address", "org", "tier",
                   "vip_level", "manager_employee_no"]

    @classmethod
    def initial_for(cls, customer: Customer) -> dict:
        return {
            "name": customer.name, "kind": customer.kind, "certificate_type": customer.certificate_type,
            "org": customer.org_id, "tier": customer.tier, "vip_level": customer.vip_level,
            "manager_employee_no": customer.manager.employee_no if customer.manager else "",
            "version": customer.version,
        }

    def changes(self) -> dict:
        d = self.cleaned_data
        out = {"name": d["name"], "kind": d["kind"], "certificate_type": d["certificate_type"], "org": d["org"],
               "tier": d["tier"], "vip_level": d["vip_level"], "manager": d["manager_employee_no"]}
        if d["new_certificate_no"].strip():
            out["certificate_no"] = d["new_certificate_no"]
        if d["new_address"].strip():
            out["address"] = d["new_address"]
        return out


class AccountForm(forms.Form):
    name = forms.CharField(label=_("Account name"), max_length=100)
    pay_method = forms.ChoiceField(label=_("Payment method"), choices=PayMethod.choices)
    account_no = forms.CharField(label=_("Account number"), max_length=32, required=False,
                                 help_text=_("Leave blank to have one assigned."))
    balance = forms.DecimalField(label=_("Balance (yuan)"), max_digits=14, decimal_places=2, initial=0)
    status = forms.ChoiceField(label=_("Status"), choices=AccountStatus.choices, initial=AccountStatus.ACTIVE)


class SubscriberForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=None)
    number = forms.CharField(label=_("Mobile number"), max_length=11, min_length=11)
    brand = forms.ChoiceField(label=_("Brand"), choices=Brand.choices)
    plan = forms.CharField(label=_("Plan"), max_length=100, required=False)

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = customer.accounts.exclude(status=AccountStatus.CLOSED).order_by("id")


class ServicePasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New service password"), max_length=6, min_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password",
                                          "data-testid": "service-password-new"}),
    )
    confirm = forms.CharField(
        label=_("Repeat it"), max_length=6, min_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password",
                                          "data-testid": "service-password-confirm"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("confirm") and data["password"] != data["confirm"]:
            self.add_error("confirm", _("The two entries differ."))
        return data
