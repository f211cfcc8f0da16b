"""Recording reads of customer data (查询日志): one entry per request.

A page of twenty work orders, or an order with its customer, is one read by
one person: it is written as **one** entry that lists what was shown — the
objects (ids, with their labels in ``object_repr``) and the customers behind
them — not one entry per row. ``ReadAuditMiddleware`` opens a batch for each
request and writes it when the response is ready; selectors only say what
they showed, with ``audit_read`` or with a queryset made by ``audited`` that
records the rows it actually returns (the page, not the whole match).

Outside a request (the worker, commands, IVR calls, a test calling a
selector directly) there is no batch and ``audit_read`` writes at once.

The entry: action ``search`` when conditions were given, else ``read``;
object type, id and label of what was shown first (the id only when one
object was shown); ``conditions`` = the search conditions plus
``shown`` ``{object type: [ids]}`` and ``customers`` ``[ids]``;
``result_count`` = the number of matches of a search, else of objects shown.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from .models import AuditAction, AuditEntry
from .services import audit_record

#: Labels kept in ``object_repr`` (its column holds 200 characters).
_REPR_CHARS = 200


@dataclass
class _Batch:
    actor: Any = None
    object_type: str = ""
    conditions: dict = field(default_factory=dict)
    result_count: int | None = None
    note: str = ""
    shown: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> {id: label}, in order
    customers: dict[int, None] = field(default_factory=dict)  # an ordered set

    def add(self, *, actor, object_type, items, customers, conditions, result_count, note) -> None:
        if self.actor is None:
            self.actor = actor
        self.object_type = self.object_type or object_type
        if conditions:
            self.conditions.update(conditions)
        if result_count is not None:
            self.result_count = (self.result_count or 0) + result_count
        if note and not self.note:
            self.note = note
        bucket = self.shown.setdefault(object_type, {})
        for pk, label in items:
            bucket.setdefault(str(pk), label)
        for pk in customers:
            if pk is not None:
                self.customers[int(pk)] = None

    def empty(self) -> bool:
        return self.actor is None

    def write(self) -> AuditEntry:
        primary = self.shown.get(self.object_type, {})
        conditions = dict(self.conditions)
        shown = {t: list(ids) for t, ids in self.shown.items() if ids}
        if shown:
            conditions["shown"] = shown
        if self.customers:
            conditions["customers"] = list(self.customers)
        count = self.result_count if self.result_count is not None else len(primary)
        return audit_record(
            actor=self.actor,
            action=AuditAction.SEARCH if self.conditions else AuditAction.READ,
            object_type=self.object_type,
            object_id=next(iter(primary)) if len(primary) == 1 else "",
            object_repr=", ".join(label for label in primary.values() if label)[:_REPR_CHARS],
            conditions=conditions,
            result_count=count,
            note=self.note,
        )


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("kefu_read_batch", default=None)


def audit_read(
    *,
    actor,
    object_type: str,
    items: Iterable[tuple[Any, str]] = (),
    customers: Iterable[int | None] = (),
    conditions: dict | None = None,
    result_count: int | None = None,
    note: str = "",
) -> None:
    """Record that ``actor`` was shown ``items`` (``(id, label)`` pairs) of
    ``object_type`` and the ``customers`` behind them.

    Within a request this joins the request's one entry; elsewhere it writes
    an entry now. ``conditions`` and ``result_count`` describe a search.
    """
    batch = _batch.get()
    own = batch is None
    if own:
        batch = _Batch()
    batch.add(actor=actor, object_type=object_type, items=list(items), customers=list(customers),
              conditions=conditions, result_count=result_count, note=note)
    if own:
        batch.write()


@contextmanager
def read_batch():
    """Collect the reads inside the block into one entry, written at its end."""
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
        if not batch.empty():
            batch.write()


class ReadAuditMiddleware:
    """One audit entry per request for every read of customer data it made.

    Sits after the authentication and request-context middleware, so the entry
    carries the caller's address, channel and request id. Templates are
    rendered inside the view, so the rows a page shows are known when the
    response comes back here; a write failure turns the answer into an error
    rather than letting an unrecorded read through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with read_batch():
            return self.get_response(request)


@dataclass(frozen=True)
class ReadSpec:
    actor: Any
    object_type: str
    label: Callable[[Any], str]
    customer_attr: str = "customer_id"
    note: str = ""

    def record(self, rows: list) -> None:
        objs = [r for r in rows if hasattr(r, "_meta")]
        if not objs:
            return
        # Only attributes already loaded: a deferred column would cost a query per row.
        customers = [o.__dict__.get(self.customer_attr) for o in objs]
        audit_read(actor=self.actor, object_type=self.object_type,
                   items=[(o.pk, self.label(o)) for o in objs], customers=customers, note=self.note)


class _AuditedMixin:
    """A queryset that records the rows it returns — the page a person sees."""

    _read_spec: ReadSpec | None = None

    def _clone(self):
        clone = super()._clone()
        clone._read_spec = self._read_spec
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._read_spec is not None:
            self._read_spec.record(self._result_cache)


@functools.cache
def _audited_class(base: type) -> type:
    return type(f"Audited{base.__name__}", (_AuditedMixin, base), {})


def audited(qs: QuerySet, *, actor, object_type: str, label: Callable[[Any], str] = str,
            customer_attr: str = "customer_id", note: str = "") -> QuerySet:
    """``qs`` that records, when evaluated, the rows it returned (one batch entry per request).

    Counting, ``exists()`` and ``iterator()`` record nothing: only rows that
    are loaded to be shown are. ``label`` must use loaded fields only.
    """
    clone = qs._chain()
    if not isinstance(clone, _AuditedMixin):
        clone.__class__ = _audited_class(type(qs))
    clone._read_spec = ReadSpec(actor=actor, object_type=object_type, label=label,
                                customer_attr=customer_attr, note=note)
    return clone
