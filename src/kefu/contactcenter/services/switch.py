"""``switch.status``: a switch's report of its capacity and load, kept as its latest row (one per switch)."""

from __future__ import annotations

from kefu.core import clock

from ..models import SwitchStatus


def switch_status_record(
    *,
    switch: str,
    trunks_total: int,
    trunks_busy: int,
    ivr_ports_total: int = 0,
    ivr_ports_busy: int = 0,
    calls_blocked: int = 0,
    calls_failed: int = 0,
) -> SwitchStatus:
    """Replace the switch's latest report (not audited: a machine's heartbeat, every few seconds)."""
    row, _created = SwitchStatus.objects.update_or_create(
        switch=switch[:64] or "switch",
        defaults={
            "trunks_total": trunks_total,
            "trunks_busy": min(trunks_busy, max(trunks_total, trunks_busy)),
            "ivr_ports_total": ivr_ports_total,
            "ivr_ports_busy": ivr_ports_busy,
            "calls_blocked": calls_blocked,
            "calls_failed": calls_failed,
            "reported_at": clock.now(),
        },
    )
    return row
