"""Taking an order's row lock without losing the order to a concurrent change.

``SELECT … FOR UPDATE`` over a join re-checks the join once the lock is
granted: if the winner of a race moved the order to another holder, the
locked row no longer matches the joined row read before the wait and
PostgreSQL returns nothing — the loser would be told the order does not
exist. So the row is locked alone, then read with its relations.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import WorkOrder, WorkOrderStep

# The creator's organisation too: a station held by the creator (rule ``creator``, the reply and close
# stations) is given to them with it.
ORDER_RELATED = ("template_version", "holder_org", "holder_team", "holder_staff", "creator__org", "org")


def order_lock(order_id: int, *, related: tuple[str, ...] = ORDER_RELATED) -> WorkOrder | None:
    """Lock order ``order_id`` for this transaction and load it; ``None`` if there is no such order.

    The loaded order carries ``step_count`` (its history's length, read under the lock), so the
    next step's number costs no query of its own.
    """
    locked = list(WorkOrder.objects.select_for_update().filter(pk=order_id).values_list("pk", flat=True))  # pkey
    if not locked:
        return None
    steps = (WorkOrderStep.objects.filter(order=OuterRef("pk")).order_by().values("order")
             .annotate(n=Count("*")).values("n"))  # workorderstep unique (order, seq)
    return (WorkOrder.objects.select_related(*related)
            .annotate(step_count=Coalesce(Subquery(steps, output_field=IntegerField()), Value(0)))
            .get(pk=order_id))
