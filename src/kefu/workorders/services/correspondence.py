"""Mail with the customer about an order, kept in the order's history.

An e-mail whose subject names an order (its serial) and the answer an agent
sends about it are steps of the order like any action: the history keeps
them, the version moves on, the change is audited and the event emitted. The
station, holder and deadlines do not move: a letter is not an action.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.core.errors import NotFound, ValidationFailed

from ..models import WorkOrder, WorkOrderStep
from .events import event_emit
from .locks import order_lock

#: History actions of correspondence (``WorkOrderStep.action`` holds 16 characters).
MAIL_IN, MAIL_OUT = "mail_in", "mail_out"


@transaction.atomic
def workorder_correspondence_record(*, order_id: int, direction: str, subject: str, text: str, party: str,
                                    actor=None, by_label: str = "", data: dict | None = None) -> WorkOrder:
    """Record one e-mail in order ``order_id``'s history: ``direction`` ``"in"`` from the customer
    (``party`` is the sender; no member of staff acts, ``by_label`` names the door), ``"out"`` to the
    customer (``actor`` sent it, ``party`` is the recipient)."""
    if direction not in ("in", "out"):
        raise ValidationFailed(_("Unknown direction of an e-mail."), code="invalid_direction")
    order = order_lock(order_id)
    if order is None:
        raise NotFound(_("Work order not found."), code="order_not_found")
    staff = actor if getattr(actor, "pk", None) else None
    label = f"{staff.employee_no} {staff.name}" if staff else (by_label or party)
    now = clock.now()
    action = MAIL_IN if direction == "in" else MAIL_OUT
    seq = order.step_count + 1  # type: ignore[attr-defined]  # annotated by order_lock
    WorkOrderStep.objects.create(
        order=order, seq=seq, at=now, actor=staff, actor_label=label[:100],
        actor_org=staff.org if staff else None, action=action, from_station=order.station,
        to_station=order.station, text=f"{subject}\n\n{text}".strip()[:5000], holder_org=order.holder_org,
        holder_team=order.holder_team, holder_staff=order.holder_staff,
        data={"party": party[:200], "subject": subject[:300], **(data or {})},
    )
    order.version += 1
    order.updated_at = now
    order.save(update_fields=["version", "updated_at"])
    audit_record(actor=staff or label, action="update", obj=order, object_repr=order.serial,
                 changes={"history": [None, action]}, note=f"e-mail {'from' if direction == 'in' else 'to'} "
                 f"{party}"[:255], conditions={"customers": [order.customer_id]} if order.customer_id else None)
    event_emit(order, f"order.{action}")
    return order

