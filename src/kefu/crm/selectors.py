"""Reads of customer data, scoped to the actor's organisations and audited.

Every search and every opening of a customer writes an audit entry (查询日志):
who, which conditions, how many results. Sensitive fields leave here masked;
``customer_reveal`` is the only way to the clear values.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.reads import audit_read, audited
from kefu.audit.services import audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.orgs.selectors import scope_queryset

from .masking import mask_address, mask_certificate
from .models import Account, Brand, Customer, Subscriber, SubscriberStatus, Tier
from .validation import is_mobile_number, normalise_certificate

REVEAL_PERM = "crm.customer.reveal"
CUSTOMER_TYPE = "crm.customer"
#: Lines shown with each search result (an enterprise may have thousands).
LINES_PER_RESULT = 5
#: Rows of accounts / subscribers on the 360 page before "search by number".
ROWS_360 = 100
NAME_MATCHES = ("prefix", "contains")
_CERTIFICATE_RE = re.compile(r"^(?=.*\d)[0-9A-Za-z]{5,32}$")
# Greater than any character a name can hold; ``prefix`` ≤ x < ``prefix + _TOP``
# is the prefix range on a binary-ordered index.
_TOP = "\U0010ffff"


class ServiceTier:
    """What decides deadlines and queue priority: VIP 8 h, GoTone 24 h, others 48 h."""

    VIP = "vip"
    GOTONE = "gotone"
    OTHER = "other"


def service_tier(customer: Customer, subscriber: Subscriber | None = None) -> str:
    """``"vip"``, ``"gotone"`` or ``"other"`` for a contact about ``subscriber``
    (or, with no subscriber named, about the customer as a whole).

    VIP customers rank first whatever the line; otherwise the brand of the
    line decides, and a customer with any open GoTone line counts as GoTone.
    """
    if customer.tier == Tier.VIP:
        return ServiceTier.VIP
    if subscriber is not None:
        return ServiceTier.GOTONE if subscriber.brand == Brand.GOTONE else ServiceTier.OTHER
    # Uses the FK index on crm_subscriber.customer_id.
    has_gotone = customer.subscribers.filter(brand=Brand.GOTONE).exclude(status=SubscriberStatus.CLOSED).exists()
    return ServiceTier.GOTONE if has_gotone else ServiceTier.OTHER


@dataclass(frozen=True)
class CustomerFilters:
    """Search conditions. ``q`` is the one search box: a number, a certificate
    number or the start of a name, recognised by its shape."""

    q: str = ""
    number: str = ""
    name: str = ""
    name_match: str = "prefix"  # or "contains" (a full scan; slower on big centers)
    certificate_no: str = ""
    tier: str = ""
    brand: str = ""
    org_id: int | None = None

    def resolved(self) -> CustomerFilters:
        """The same filters with ``q`` turned into number, certificate or name."""
        q = (self.q or "").strip()
        if not q:
            return self
        compact = q.replace(" ", "").replace("-", "")
        values = dict(asdict(self), q="")
        if is_mobile_number(compact):
            values["number"] = compact
        elif _CERTIFICATE_RE.match(compact):
            values["certificate_no"] = compact
        else:
            values["name"] = q
        return CustomerFilters(**values)

    def conditions(self) -> dict:
        """Non-empty conditions, as written to the audit log."""
        out = {k: v for k, v in asdict(self).items() if k != "name_match" and v not in ("", None)}
        if self.name:
            out["name_match"] = self.name_match
        return out


def _name_q(name: str, match: str) -> Q:
    if match == "contains":
        return Q(name__contains=name)
    q = Q(name__startswith=name)
    if connection.vendor == "sqlite":
        # SQLite only uses an index for LIKE with NOCASE indexes; the range on
        # the plain index on ``name`` gives the same rows for a prefix and
        # lets it use the index. PostgreSQL uses crm_customer_name_..._like.
        q &= Q(name__gte=name, name__lt=name + _TOP)
    return q


def customer_queryset(*, actor) -> QuerySet[Customer]:
    """Customers the actor may see (their organisation subtree, or all)."""
    return scope_queryset(Customer.objects.all(), actor, field="org")


def customer_search(*, actor, filters: CustomerFilters) -> QuerySet[Customer]:
    """Scoped, filtered customers with their home branch, manager and first lines.

    Writes one audit entry with the conditions, the number of results and
    the customers on the page shown (``kefu.audit.reads``).
    Each exact condition is served by an index: number → crm_subscriber.number
    (unique), certificate → crm_customer_certificate_uniq, name prefix →
    the index on crm_customer.name.
    """
    f = filters.resolved()
    if f.name_match not in NAME_MATCHES:
        raise ValidationFailed(_("Name matching is “prefix” or “contains”."), code="invalid_name_match")
    qs = customer_queryset(actor=actor)
    if f.number:
        qs = qs.filter(pk__in=Subscriber.objects.filter(number=f.number.strip()).values("customer_id"))
    if f.certificate_no:
        qs = qs.filter(certificate_no=normalise_certificate(f.certificate_no))
    if f.name:
        qs = qs.filter(_name_q(f.name.strip(), f.name_match))
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.brand:
        # A correlated EXISTS probes crm_subscriber's customer_id index per candidate,
        # instead of materialising every line of a brand (hundreds of thousands).
        qs = qs.filter(Exists(Subscriber.objects.filter(customer_id=OuterRef("pk"), brand=f.brand)))
    if f.org_id:
        qs = qs.filter(org_id=f.org_id)
    qs = qs.select_related("org", "manager").prefetch_related(
        Prefetch("subscribers", queryset=Subscriber.objects.order_by("id")[:LINES_PER_RESULT],
                 to_attr="first_lines")
    ).order_by("name", "id")
    audit_read(actor=actor, object_type=CUSTOMER_TYPE, conditions=f.conditions(), result_count=qs.count())
    return audited(qs, actor=actor, object_type=CUSTOMER_TYPE, label=str, customer_attr="id")


def customer_get(*, actor, customer_id) -> Customer:
    """One customer the actor may see; ``NotFound`` otherwise (existence is not leaked)."""
    try:
        return customer_queryset(actor=actor).select_related("org", "manager").get(pk=int(customer_id))
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Customer not found."), code="customer_not_found") from None


def subscriber_by_number(*, actor, number: str) -> Subscriber | None:
    """The line with ``number`` if its customer is in the actor's scope, else ``None``.

    A number outside the actor's organisations answers exactly like a number no
    line has, so that numbers do not reveal other branches' customers. Uses the
    unique index on crm_subscriber.number, then the customer's org.
    """
    number = (number or "").strip()
    if not number:
        return None
    qs = scope_queryset(Subscriber.objects.select_related("customer", "account"), actor, field="customer__org")
    return qs.filter(number=number).first()


def subscriber_identify_caller(*, number: str) -> Subscriber | None:
    """The line a caller's number belongs to, whichever branch holds its customer.

    Only for lookups that no person makes: the switch's caller identification
    when a contact arrives and the IVR answering the caller on their own line.
    The caller is the customer, and what is found is shown to an agent only
    through the contact routed to them. Anything a member of staff types goes
    through ``subscriber_by_number`` instead.
    """
    number = (number or "").strip()
    if not number:
        return None
    # Unique index on crm_subscriber.number.
    return Subscriber.objects.select_related("customer", "account").filter(number=number).first()


def subscriber_identified(*, subscriber_id) -> Subscriber | None:
    """A line by id, unscoped, for the IVR answering a caller: the id was found by
    ``subscriber_identify_caller`` (or, in a test call, by the tester's scoped lookup) earlier in the call."""
    return Subscriber.objects.select_related("customer", "account").filter(pk=subscriber_id).first()


def customer_identified(*, customer_id) -> Customer | None:
    """A customer by id, unscoped, for the IVR answering a caller (see ``subscriber_identified``)."""
    return Customer.objects.filter(pk=customer_id).first() if customer_id else None


def account_get(*, actor, account_id) -> Account:
    """One account whose customer the actor may see; ``NotFound`` otherwise."""
    qs = scope_queryset(Account.objects.select_related("customer"), actor, field="customer__org")
    try:
        return qs.get(pk=int(account_id))
    except (Account.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Account not found."), code="account_not_found") from None


@dataclass
class Customer360:
    """Everything the 360 page and API show about one customer, masked."""

    customer: Customer
    service_tier: str
    certificate_no_masked: str
    address_masked: str
    accounts: list[Account] = field(default_factory=list)
    account_count: int = 0
    subscribers: list[Subscriber] = field(default_factory=list)
    subscriber_count: int = 0


def customer_360(*, actor, customer_id) -> Customer360:
    """Open a customer (profile, accounts, subscribers); audited as a read."""
    customer = customer_get(actor=actor, customer_id=customer_id)
    accounts = list(customer.accounts.order_by("id")[:ROWS_360])
    subscribers = list(customer.subscribers.select_related("account").order_by("id")[:ROWS_360])
    account_count = len(accounts) if len(accounts) < ROWS_360 else customer.accounts.count()
    subscriber_count = len(subscribers) if len(subscribers) < ROWS_360 else customer.subscribers.count()
    audit_record(actor=actor, action=AuditAction.READ, obj=customer, note="customer 360")
    return Customer360(
        customer=customer, service_tier=service_tier(customer),
        certificate_no_masked=mask_certificate(customer.certificate_no),
        address_masked=mask_address(customer.address),
        accounts=accounts, account_count=account_count,
        subscribers=subscribers, subscriber_count=subscriber_count,
    )


def masked_identity(customer: Customer) -> dict[str, str]:
    """The masked certificate number and address, for screens that name the customer."""
    return {"certificate_no": mask_certificate(customer.certificate_no), "address": mask_address(customer.address)}


def customer_reveal(*, actor, customer_id) -> dict[str, str]:
    """The clear certificate number and address, for holders of ``crm.customer.reveal``; audited."""
    from kefu.iam.permissions import has_perm

    customer = customer_get(actor=actor, customer_id=customer_id)
    if not has_perm(actor, REVEAL_PERM):
        raise PermissionDenied(_("You may not see unmasked certificate numbers and addresses."),
                               details={"required": [REVEAL_PERM]})
    audit_record(actor=actor, action=AuditAction.REVEAL, obj=customer,
                 note="certificate number and address revealed")
    return {"certificate_no": customer.certificate_no, "address": customer.address}


def code_labels() -> dict[str, dict[str, str]]:
    """Words for the CRM codes shown on other apps' screens (brands, VIP levels, subscriber status)."""
    from .models import VipLevel

    return {
        "brands": {k: str(v) for k, v in Brand.choices},
        "vip_levels": {k: str(v) for k, v in VipLevel.choices if k},
        "subscriber_status": {k: str(v) for k, v in SubscriberStatus.choices},
    }


def account_queryset(*, actor) -> QuerySet[Account]:
    """Accounts of the customers the actor may see, with their customer."""
    return scope_queryset(Account.objects.select_related("customer"), actor, field="customer__org")


def account_balance_of(account_id) -> Decimal | None:
    """The balance kept on the account row, read afresh."""
    return Account.objects.filter(pk=account_id).values_list("balance", flat=True).first()


def subscriber_open_numbers(*, vip: bool, limit: int) -> list[str]:
    """Numbers of open lines, VIP customers' or the others', oldest first (the simulated switch's callers)."""
    lines = Subscriber.objects.exclude(status="closed").order_by("pk")
    lines = lines.filter(customer__tier="vip") if vip else lines.exclude(customer__tier="vip")
    return list(lines.values_list("number", flat=True)[:limit])


def customer_orgs(customer_ids) -> dict[int, int]:
    """``{customer id: home branch id}`` of the customers that exist among ``customer_ids`` (one query), for
    services that place rows about many customers at once (bulk messages)."""
    ids = {int(i) for i in customer_ids if i is not None}
    if not ids:
        return {}
    return dict(Customer.objects.filter(pk__in=ids).values_list("pk", "org_id"))


def subscriber_customers(numbers) -> dict[str, int]:
    """``{number: customer id}`` of the lines among ``numbers`` (one query on the unique number index), for
    system jobs that address many numbers at once (notices on behalf of billing); unscoped like
    ``subscriber_identify_caller``."""
    numbers = [n for n in numbers if n]
    if not numbers:
        return {}
    return dict(Subscriber.objects.filter(number__in=numbers).values_list("number", "customer_id"))


def subscriber_batch(*, after_id: int, limit: int, org_path: str = "", brands=(), tiers=()) -> list[tuple]:
    """``(id, number, customer id, account id)`` of open lines after ``after_id`` in id order, of customers of
    the organisation subtree ``org_path`` (all when empty), of the given brands and customer tiers: the
    keyset walk of a publishing rule over millions of lines (primary key order, one page per call)."""
    qs = Subscriber.objects.filter(pk__gt=after_id).exclude(status=SubscriberStatus.CLOSED)
    if org_path:
        qs = qs.filter(customer__org__path__startswith=org_path)
    if brands:
        qs = qs.filter(brand__in=list(brands))
    if tiers:
        qs = qs.filter(customer__tier__in=list(tiers))
    return list(qs.order_by("pk").values_list("pk", "number", "customer_id", "account_id")[:limit])


def subscribers_by_numbers(*, actor, numbers: list[str]) -> dict[str, tuple[int, int]]:
    """``{number: (customer_id, subscriber_id)}`` for the lines among ``numbers`` whose customer the actor
    may see (others answer as unknown), for bulk imports of call lists. Not a read of customer data shown to
    anybody: the caller records what it shows. Unique index on crm_subscriber.number, 1,000 numbers a query."""
    out: dict[str, tuple[int, int]] = {}
    qs = scope_queryset(Subscriber.objects.all(), actor, field="customer__org")
    numbers = [n for n in dict.fromkeys(numbers) if n]
    for i in range(0, len(numbers), 1000):
        for number, customer_id, pk in qs.filter(number__in=numbers[i:i + 1000]).values_list(
                "number", "customer_id", "pk"):
            out[number] = (customer_id, pk)
    return out


def customer_query_lines(*, actor, filters: CustomerFilters, limit: int = 100_000) -> list[tuple[str, int, int, str]]:
    """A saved customer query as call-list rows: ``(number, customer_id, subscriber_id, name)``, the first open
    line of each customer found (scoped and audited like ``customer_search``)."""
    found = list(customer_search(actor=actor, filters=filters).values_list("pk", "name")[:limit])
    rows: dict[int, tuple[str, int, int]] = {}
    for i in range(0, len(found), 1000):
        chunk = [pk for pk, _name in found[i:i + 1000]]
        # Uses the FK index on crm_subscriber.customer_id.
        lines = (Subscriber.objects.filter(customer_id__in=chunk).exclude(status=SubscriberStatus.CLOSED)
                 .order_by("customer_id", "pk").values_list("number", "customer_id", "pk"))
        for number, customer_id, pk in lines:
            rows.setdefault(customer_id, (number, customer_id, pk))
    return [(*rows[pk], name) for pk, name in found if pk in rows]


def subscribers_by_org() -> dict[int, int]:
    """Active subscribers per customer organisation (the denominator of complaints per 10,000)."""
    from django.db.models import Count

    return dict(Subscriber.objects.filter(status=SubscriberStatus.ACTIVE).order_by().values("customer__org_id")
                .annotate(n=Count("pk")).values_list("customer__org_id", "n"))
