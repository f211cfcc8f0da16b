"""Model → schema conversion shared by the API endpoints."""

from django.utils.translation import get_language

from ..models import WorkOrder
from ..services.actions import available_actions
from ..services.templates import compiled


def station_name(order: WorkOrder) -> str:
    tpl = compiled(order.template_version)
    st = tpl.stations.get(order.station)
    return st.display_name(get_language() or "zh-hans") if st else order.station


def order_out(order: WorkOrder, actor=None) -> dict:
    return {
        "id": order.pk, "serial": order.serial, "kind": order.kind, "state": order.state, "station": order.station,
        "station_name": station_name(order), "priority": order.priority, "service_tier": order.service_tier,
        "title": order.title, "description": order.description, "category": order.category, "level": order.level,
        "source": order.source, "complainant_type": order.complainant_type, "place": order.place,
        "details": order.details, "channel": order.channel, "customer_id": order.customer_id,
        "subscriber_id": order.subscriber_id, "creator": order.creator.employee_no,
        "holder": {
            "org": order.holder_org.code, "org_name": order.holder_org.name,
            "team": order.holder_team.name if order.holder_team_id else None,
            "staff": order.holder_staff.employee_no if order.holder_staff_id else None,
            "staff_name": order.holder_staff.name if order.holder_staff_id else None,
        },
        "created_at": order.created_at, "station_due_at": order.station_due_at, "reply_due_at": order.reply_due_at,
        "is_overdue": order.is_overdue, "result": order.result, "reply_text": order.reply_text,
        "satisfaction": order.satisfaction, "verdict": order.verdict, "version": order.version,
        "actions": available_actions(actor, order) if actor is not None else [],
    }


def row_out(order: WorkOrder) -> dict:
    return {
        "id": order.pk, "serial": order.serial, "kind": order.kind, "state": order.state, "station": order.station,
        "priority": order.priority, "service_tier": order.service_tier, "title": order.title,
        "holder_org": order.holder_org.code, "holder_staff": order.holder_staff.employee_no if order.holder_staff_id else None,
        "created_at": order.created_at, "station_due_at": order.station_due_at, "is_overdue": order.is_overdue,
    }
