"""The live wallboard's snapshot: queues now, agents by state, work orders near or past deadline, alerts.

Live figures come from the contact center's and work orders' selectors (they are right after a restart);
thresholds are system parameters, so a center tunes its alerts without a release.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from kefu.contactcenter import selectors as contactcenter
from kefu.core import clock
from kefu.params.selectors import param_get
from kefu.workorders import selectors as workorders


def _alerts(q: dict) -> list[str]:
    out = []
    sl, offered = q.get("service_level"), q.get("offered") or 0
    if sl is not None and sl < param_get("kpi.alert.service_level_below"):
        out.append(_("Service level %(sl)s %% under the threshold") % {"sl": sl})
    if q["waiting"] > param_get("kpi.alert.waiting_above"):
        out.append(_("%(n)s contacts waiting") % {"n": q["waiting"]})
    if q["longest_wait"] > param_get("kpi.alert.longest_wait_above").total_seconds():
        out.append(_("Longest wait %(s)s s") % {"s": q["longest_wait"]})
    lost = q["abandoned"] - q["short_abandoned"]
    if offered and 100 * lost / offered > param_get("kpi.alert.abandon_rate_above"):
        out.append(_("Abandonment %(r).1f %%") % {"r": 100 * lost / offered})
    return out


def wallboard_snapshot(*, actor) -> dict:
    queues = contactcenter.queue_stats(actor=actor)
    for q in queues:
        q["alerts"] = _alerts(q)
    agents = contactcenter.agent_board(actor=actor)
    orders, near, overdue = workorders.orders_near_deadline(actor=actor, within=param_get("kpi.orders_near"))
    now = clock.now()
    return {
        "at": now,
        "queues": queues,
        "waiting": sum(q["waiting"] for q in queues),
        "longest_wait": max((q["longest_wait"] for q in queues), default=0),
        "agents": dict(Counter(a["state"] for a in agents)),
        "orders": [
            {
                "serial": o.serial,
                "title": o.title,
                "due": o.station_due_at,
                "overdue": o.station_due_at <= now,
                "holder": o.holder_staff.name
                if o.holder_staff
                else (o.holder_org.name if o.holder_org else ""),
            }
            for o in orders
        ],
        "orders_near": near,
        "orders_overdue": overdue,
        "alerts": [f"{q['code']}: {a}" for q in queues for a in q["alerts"]],
    }
