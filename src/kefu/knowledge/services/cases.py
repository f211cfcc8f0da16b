"""Writing cases: by hand, or from a closed work order; edit, publish, delete.

Every text that enters a case is cleaned of personal data
(``kefu.knowledge.cleaning``) — when made from an order and again on every
edit, since an editor may paste a number back in. Each service runs in one
transaction with its audit entry and its search-index update.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_create, audit_delete, audit_update, snapshot
from kefu.core import clock
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, ValidationFailed

from ..cleaning import clean_text
from ..models import Case, Category, DocType
from ..search import index
from ._common import check_revision, staff_or_none

AUDIT_FIELDS = ("title", "situation", "solution", "category", "subcategory", "source_serial", "source_order",
                "published")
_LIMITS = {"title": 200, "situation": 10000, "solution": 10000, "subcategory": 50}

#: Work-order categories (complaint, inquiry topics) → knowledge categories.
ORDER_CATEGORY = {
    "tariff": Category.TARIFF, "bill": Category.TARIFF, "business": Category.PROCEDURE,
    "rules": Category.PROCEDURE, "terminal": Category.PRODUCT, "development": Category.PRODUCT,
}


@dataclass(frozen=True)
class CaseData:
    title: str
    situation: str
    solution: str
    category: str
    subcategory: str = ""


def _names_for(case_or_order) -> list[str]:
    """Names to scrub: the customer of the (source) order, when known."""
    order = getattr(case_or_order, "source_order", case_or_order)
    customer = getattr(order, "customer", None) if order is not None else None
    return [customer.name] if customer is not None and customer.name else []


def _validated(data: CaseData, *, names=()) -> dict:
    values = {
        "title": clean_text((data.title or "").strip(), names=names),
        "situation": clean_text((data.situation or "").strip(), names=names),
        "solution": clean_text((data.solution or "").strip(), names=names),
        "category": data.category or "",
        "subcategory": (data.subcategory or "").strip(),
    }
    errors = {}
    for name, message in (("title", _("The title is required.")),
                          ("situation", _("Describe the situation.")),
                          ("solution", _("Describe the solution."))):
        if not values[name]:
            errors[name] = message
    if values["category"] not in Category.values:
        errors["category"] = _("Choose a category: product, tariff, procedure or other.")
    for name, limit in _LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = _("At most %(n)d characters.") % {"n": limit}
    if errors:
        raise ValidationFailed(_("The case is not valid; see details."), code="invalid_case", details=errors)
    return values


def _duplicate(serial: str) -> Conflict:
    return Conflict(_("A case was already made from work order %(serial)s.") % {"serial": serial},
                    code="duplicate_case", details={"serial": serial})


def _save_new(actor, case: Case, publish: bool) -> Case:
    if publish:
        case.published, case.published_at = True, clock.now()
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # the same order made into a case twice at once
        raise _duplicate(case.source_serial) from None
    audit_create(actor=actor, obj=case, fields=AUDIT_FIELDS)
    index.index_case(case)
    return case


@transaction.atomic
def case_create(*, actor, data: CaseData, publish: bool = False) -> Case:
    """A case written by hand (no source order)."""
    values = _validated(data)
    return _save_new(actor, Case(**values, created_by=staff_or_none(actor)), publish)


def order_solution(order) -> str:
    """What the handlers did and told the customer: the default solution."""
    return "\n".join(t.strip() for t in (order.result, order.reply_text) if t and t.strip())


def case_draft_from_order(order, *, title: str | None = None, category: str | None = None,
                          solution: str | None = None, subcategory: str = "") -> CaseData:
    """The cleaned case an order would give, without saving: the preview the
    "make a case" form starts from, and the input of ``case_from_order``."""
    names = _names_for(order)
    return CaseData(
        title=clean_text((title if title and title.strip() else order.title).strip(), names=names),
        situation=clean_text(order.description.strip(), names=names),
        solution=clean_text((solution if solution and solution.strip() else order_solution(order)).strip(),
                            names=names),
        category=category or ORDER_CATEGORY.get(order.category, Category.OTHER),
        subcategory=subcategory,
    )


@transaction.atomic
def case_from_order(*, actor, order, title: str | None = None, category: str | None = None,
                    solution: str | None = None, subcategory: str = "", publish: bool = False) -> Case:
    """Make a case of a closed work order: its title, description as the
    situation, result and reply as the solution (unless given), all cleaned
    of the customer's identity; linked to the order. One case per order.

    The caller makes sure the actor may see the order
    (``kefu.workorders.selectors.order_get``).
    """
    from kefu.workorders.models import State

    if order.state != State.CLOSED:
        raise ValidationFailed(
            _("Work order %(serial)s is not closed yet; only closed orders become cases.")
            % {"serial": order.serial}, code="order_not_closed")
    if Case.objects.filter(source_serial=order.serial).exists():
        raise _duplicate(order.serial)
    data = case_draft_from_order(order, title=title, category=category, solution=solution, subcategory=subcategory)
    values = _validated(data, names=_names_for(order))
    case = Case(**values, source_serial=order.serial, source_order=order, created_by=staff_or_none(actor))
    return _save_new(actor, case, publish)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_update(*, actor, case: Case, data: CaseData, revision: int | None = None) -> Case:
    case = _locked(case)
    check_revision(case, revision)
    values = _validated(data, names=_names_for(case))
    if all(getattr(case, k) == v for k, v in values.items()):
        return case
    before = snapshot(case, AUDIT_FIELDS)
    for name, value in values.items():
        setattr(case, name, value)
    case.revision += 1
    case.save()
    audit_update(actor=actor, obj=case, before=before)
    index.index_case(case)
    return case


@transaction.atomic
def case_set_published(*, actor, case: Case, published: bool, revision: int | None = None) -> Case:
    """Publish a case to every handler, or take it back."""
    case = _locked(case)
    check_revision(case, revision)
    if case.published == published:
        message = _("The case is already published.") if published else _("The case is not published.")
        raise Conflict(message, code="already_published" if published else "not_published")
    before = snapshot(case, AUDIT_FIELDS)
    case.published = published
    case.published_at = clock.now() if published else case.published_at
    case.revision += 1
    case.save()
    audit_update(actor=actor, obj=case, before=before)
    index.index_case(case)
    return case


@transaction.atomic
def case_delete(*, actor, case: Case) -> None:
    case = _locked(case)
    audit_delete(actor=actor, obj=case, fields=AUDIT_FIELDS)
    index.unindex(DocType.CASE, case.pk)
    delete_unless_used(case, label=case.title)
