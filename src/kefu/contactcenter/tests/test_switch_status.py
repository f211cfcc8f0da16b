"""``switch.status``: a switch reports its trunks and IVR ports; the simulated switch does, and refuses
calls when every trunk is busy."""

import random
from datetime import timedelta

import pytest

from kefu.contactcenter.cti.adapter import CtiAdapter
from kefu.contactcenter.cti.protocol import ProtocolError, parse_event
from kefu.contactcenter.models import SwitchStatus
from kefu.contactcenter.selectors import switch_health
from kefu.contactcenter.simswitch import CallerPool, Profile, SimSwitch
from kefu.core import clock


def test_a_status_report_replaces_the_switchs_row_and_ages_into_a_link_down(db):
    adapter = CtiAdapter()
    assert switch_health() is None
    for busy in (10, 40):
        assert (
            adapter.handle(
                {
                    "type": "switch.status",
                    "switch": "pbx-1",
                    "trunks_total": 120,
                    "trunks_busy": busy,
                    "ivr_ports_total": 60,
                    "ivr_ports_busy": 5,
                    "calls_blocked": 3,
                }
            )
            == []
        )
    assert SwitchStatus.objects.count() == 1
    health = switch_health()
    assert (health["trunk_load"], health["calls_blocked"], health["link_up"]) == (33.3, 3, True)
    clock.freeze(clock.now() + timedelta(minutes=5))
    assert switch_health()["link_up"] is False


@pytest.mark.parametrize(
    "bad", [{"type": "switch.status"}, {"type": "switch.status", "trunks_total": -1, "trunks_busy": 0}]
)
def test_a_bad_status_report_is_a_protocol_error(bad):
    with pytest.raises(ProtocolError):
        parse_event(bad)


class Recorder:
    """A transport that answers every event with no command and keeps the events."""

    def __init__(self):
        self.sent = []

    def send(self, event):
        self.sent.append(event)
        return []


def test_the_simulated_switch_reports_its_load_and_blocks_calls_beyond_its_trunks():
    clock.freeze(clock.now())
    long = Profile("agent", keys=(), patience=600, talk=600)
    pool = CallerPool(vip=[], known=[], profiles={"agent": long, "vip": long})
    t = Recorder()
    switch = SimSwitch(t, rate=5.0, pool=pool, rng=random.Random(1), trunks=3, ivr_ports=2, status_every=5)
    for _ in range(20):
        clock.advance(timedelta(seconds=1))
        switch.tick()
    statuses = [e for e in t.sent if e["type"] == "switch.status"]
    assert len(statuses) >= 3 and all(s["trunks_total"] == 3 and s["trunks_busy"] <= 3 for s in statuses)
    assert switch.stats.blocked > 0 and statuses[-1]["calls_blocked"] <= switch.stats.blocked
    assert sum(1 for e in t.sent if e["type"] == "call.incoming") == switch.stats.calls <= 3
    for s in statuses:
        parse_event(s)  # every report follows the protocol
