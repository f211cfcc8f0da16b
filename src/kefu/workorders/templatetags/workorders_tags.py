"""Display helpers for orders: deadline colours, labels."""

from django import template
from django.utils.translation import gettext as _

from kefu.core import clock

from ..kinds import Kind
from ..labels import action_name
from ..models import Priority, State

register = template.Library()


@register.filter
def deadline_class(order) -> str:
    """ok / warn / danger by how close the station deadline is (and whether it passed)."""
    if not order.is_open or order.station_due_at is None:
        return ""
    if order.is_overdue or order.station_due_at <= clock.now():
        return "danger"
    if order.warned:
        return "warn"
    return "ok"


@register.filter
def station_label(order) -> str:
    """The order's current station by its name in the order's template version."""
    from django.utils.translation import get_language

    from ..services.templates import compiled_by_id

    st = compiled_by_id(order.template_version_id).stations.get(order.station)
    return st.display_name(get_language() or "zh-hans") if st else order.station


@register.filter
def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


@register.filter
def state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


@register.filter
def priority_label(p: int) -> str:
    return str(Priority(p).label) if p in Priority.values else str(p)


@register.filter
def action_label(action: str) -> str:
    return action_name(action)


@register.filter
def tier_label(tier: str) -> str:
    return {"vip": _("VIP"), "gotone": _("GoTone")}.get(tier, _("Standard"))


@register.filter
def iso(dt) -> str:
    return dt.isoformat() if dt else ""
