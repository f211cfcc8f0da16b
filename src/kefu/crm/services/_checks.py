"""Rule checks shared by the customer, account and subscriber services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kefu.audit.services import diff
from kefu.core.errors import Conflict, ValidationFailed
from kefu.orgs.models import OrgKind

from ..masking import mask_address, mask_certificate
from ..models import Account, Customer, Subscriber

#: Fields of a customer that the audit log records (masked where sensitive).
CUSTOMER_FIELDS = (
    "name", "kind", "certificate_type", "certificate_no", "address", "org", "tier", "vip_level", "manager",
)
ACCOUNT_FIELDS = ("customer", "account_no", "name", "pay_method", "balance", "status")
SUBSCRIBER_FIELDS = ("customer", "account", "number", "brand", "plan", "status", "opened_at")
_MASKERS = {"certificate_no": mask_certificate, "address": mask_address}
_BALANCE_LIMIT = Decimal("999999999999.99")


def is_staff(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def text(value, *, model, field: str, required: bool = False) -> str:
    """Stripped text, checked against the column's length (and presence)."""
    value = (value or "").strip()
    f = model._meta.get_field(field)
    if required and not value:
        raise ValidationFailed(
            _("%(field)s is required.") % {"field": str(f.verbose_name).capitalize()},
            code="required", details={"field": field},
        )
    if len(value) > f.max_length:
        raise ValidationFailed(
            _("%(field)s: at most %(n)d characters.") % {"field": str(f.verbose_name).capitalize(), "n": f.max_length},
            code="too_long", details={"field": field},
        )
    return value


def choice(value, choices, *, field: str, label) -> str:
    if value not in choices.values:
        raise ValidationFailed(
            _("“%(value)s” is not a valid %(label)s.") % {"value": value, "label": label},
            code="invalid_choice", details={"field": field},
        )
    return value


def check_org(actor, org) -> None:
    """A customer's home branch: active, internal, and within the actor's scope."""
    from kefu.orgs.selectors import org_is_visible

    if org is None:
        raise ValidationFailed(_("Choose the customer's home branch."), code="required", details={"field": "org"})
    if is_staff(actor) and not org_is_visible(actor, org):
        raise ValidationFailed(
            _("Organisation %(code)s does not exist or is outside your scope.") % {"code": org.code},
            code="org_not_found", details={"field": "org"},
        )
    if not org.active or org.kind == OrgKind.EXTERNAL:
        raise ValidationFailed(
            _("Customers belong to an active branch of the carrier, not to %(org)s.") % {"org": org.name},
            code="invalid_org", details={"field": "org"},
        )


def check_manager(actor, manager) -> None:
    from kefu.orgs.selectors import org_is_visible

    if manager is None:
        return
    if not manager.is_active or (is_staff(actor) and not org_is_visible(actor, manager.org)):
        raise ValidationFailed(
            _("Staff member %(no)s cannot be the customer manager: not active or outside your scope.")
            % {"no": manager.employee_no},
            code="invalid_manager", details={"field": "manager"},
        )


def check_certificate_free(certificate_type: str, certificate_no: str, *, exclude_pk=None) -> None:
    # Uses crm_customer_certificate_uniq (certificate_no, certificate_type).
    qs = Customer.objects.filter(certificate_no=certificate_no, certificate_type=certificate_type)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise Conflict(
            _("A customer with this certificate number already exists."),
            code="duplicate_certificate", details={"field": "certificate_no"},
        )


def check_number_free(number: str) -> None:
    if Subscriber.objects.filter(number=number).exists():
        raise Conflict(
            _("Number %(number)s already belongs to a subscriber.") % {"number": number},
            code="duplicate_number", details={"field": "number"},
        )


def check_account_no_free(account_no: str) -> None:
    if Account.objects.filter(account_no=account_no).exists():
        raise Conflict(
            _("Account number %(no)s is already in use.") % {"no": account_no},
            code="duplicate_account_no", details={"field": "account_no"},
        )


def balance(value) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("The balance must be an amount such as 12.50."), code="invalid_balance") from None
    if not amount.is_finite() or abs(amount) > _BALANCE_LIMIT:
        raise ValidationFailed(_("The balance is out of range."), code="invalid_balance")
    return amount


def masked_diff(before: dict, after: dict) -> dict:
    """``{field: [before, after]}`` of changed fields, identity fields masked.

    The diff is taken on clear values (a change that masks the same is still
    a change), then masked: the audit log is read by more people than may see
    identities.
    """
    changes = diff(before, after)
    for name, mask in _MASKERS.items():
        if name in changes:
            changes[name] = [mask(v) if v else v for v in changes[name]]
    return changes
