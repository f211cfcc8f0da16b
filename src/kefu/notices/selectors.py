"""Reads of the notices: requests scoped by their system's organisation, recipients, callbacks, systems and
subscriptions (scoped by the customer's organisation)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import NotAuthenticated, NotFound
from kefu.crm.selectors import subscriber_by_number
from kefu.orgs.selectors import scope_queryset, visible_org_ids

from .kinds import NoticeKind
from .models import (
    CallbackState,
    ExternalSystem,
    NoticeCallback,
    NoticeRecipient,
    NoticeRequest,
    Subscription,
)


@dataclass(frozen=True)
class RequestFilters:
    state: str = ""
    kind: str = ""
    system: str = ""
    problems: bool = False


def request_list(*, actor, filters: RequestFilters) -> QuerySet[NoticeRequest]:
    """Requests of systems in the actor's organisations, newest first, each marked when a callback failed."""
    failed = NoticeCallback.objects.filter(request=OuterRef("pk"), state=CallbackState.FAILED)
    qs = scope_queryset(NoticeRequest.objects.select_related("system"), actor, field="system__org").annotate(
        callback_failed=Exists(failed))
    if filters.state:
        qs = qs.filter(state=filters.state)  # notices_request_state_idx
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.system:
        qs = qs.filter(system__code=filters.system)
    if filters.problems:
        qs = qs.filter(callback_failed=True) | qs.filter(expired=True)
    return qs.order_by("-created_at", "-id")


def request_get(*, actor, request_pk) -> NoticeRequest:
    try:
        req = request_list(actor=actor, filters=RequestFilters()).filter(pk=int(request_pk)).first()
    except (TypeError, ValueError, OverflowError):
        req = None
    if req is None:
        raise NotFound(_("Publishing request not found."), code="request_not_found")
    return req


def request_recipients(req: NoticeRequest, *, status: str = "", number: str = "") -> QuerySet[NoticeRecipient]:
    qs = NoticeRecipient.objects.filter(request=req)  # notices_recipient_status_idx
    if status:
        qs = qs.filter(status=status)
    if number:
        qs = qs.filter(number=number.strip())
    return qs.order_by("id")


def request_callbacks(req: NoticeRequest) -> QuerySet[NoticeCallback]:
    return req.callbacks.prefetch_related("attempt_rows").order_by("seq")


def callback_get(*, actor, callback_id) -> NoticeCallback:
    try:
        cb = NoticeCallback.objects.select_related("request").filter(pk=int(callback_id)).first()
    except (TypeError, ValueError, OverflowError):
        cb = None
    if cb is not None and not request_list(actor=actor, filters=RequestFilters()).filter(pk=cb.request_id).exists():
        cb = None  # out of scope: not found
    if cb is None:
        raise NotFound(_("Callback to the external system not found."), code="callback_not_found")
    return cb


def system_list() -> QuerySet[ExternalSystem]:
    return ExternalSystem.objects.select_related("org").order_by("code")


def system_get(*, system_id) -> ExternalSystem:
    try:
        system = system_list().filter(pk=int(system_id)).first()
    except (TypeError, ValueError, OverflowError):
        system = None
    if system is None:
        raise NotFound(_("External system not found."), code="system_not_found")
    return system


def system_find(*, code: str) -> ExternalSystem | None:
    return ExternalSystem.objects.filter(code=code).first()


def system_by_key(key_id: str) -> ExternalSystem:
    """The active system a signed request names; ``NotAuthenticated`` for an unknown or inactive key."""
    system = ExternalSystem.objects.filter(key_id=(key_id or "")[:64], active=True).first() if key_id else None
    if system is None:
        raise NotAuthenticated(_("Unknown or inactive key."), code="unknown_key")
    return system


@dataclass(frozen=True)
class NumberSubscriptions:
    number: str
    customer_id: int | None
    kinds: list[tuple[str, str, bool]]  # (kind, label, subscribed)


def subscriptions_of(*, actor, number: str) -> NumberSubscriptions:
    """The choices of a number the actor may see (a customer's line in their scope; an unknown number only
    for center-wide staff), one per kind; no row means subscribed."""
    number = (number or "").strip()
    line = subscriber_by_number(actor=actor, number=number)
    if line is None and (not number or visible_org_ids(actor) is not None):
        raise NotFound(_("Number not found."), code="number_not_found")
    return NumberSubscriptions(number=number, customer_id=line.customer_id if line else None,
                               kinds=subscriptions_by_number(number=number))


def subscriptions_by_number(*, number: str) -> list[tuple[str, str, bool]]:
    """Each kind's (code, label, subscribed) for one number, unscoped: for the customer's own page, reached
    only through the link texted to that number."""
    rows = {s.kind: s.subscribed for s in Subscription.objects.filter(number=number)}
    return [(k, str(label), rows.get(k, True)) for k, label in NoticeKind.choices]


def subscription_changes(*, actor, limit: int = 50) -> list[Subscription]:
    """The latest choices recorded, of numbers in the actor's scope."""
    qs = scope_queryset(Subscription.objects.select_related("customer", "changed_by"), actor, field="customer__org")
    return list(qs.order_by("-changed_at", "-id")[:limit])
