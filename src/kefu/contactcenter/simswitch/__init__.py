"""The built-in simulated switch: a CTI client that makes calls for the demo, tests and the simulator.

    from kefu.contactcenter.simswitch import start_background
    start_background(rate=0.2)            # over HTTP to http://127.0.0.1:8000

See docs/cti.md ("The simulated switch") and ``kefu manage simswitch --help``.
"""

from .callers import DEFAULT_PROFILES, Caller, CallerPool, Profile
from .runner import BackgroundSwitch, build_switch, run_realtime, run_simulated, start_background
from .switch import OutboundBehaviour, SimCall, SimSwitch, Stats, place_call
from .transport import HttpTransport, InProcessTransport, SwitchError, TransportError

__all__ = [
    "DEFAULT_PROFILES", "BackgroundSwitch", "Caller", "CallerPool", "HttpTransport", "InProcessTransport", "OutboundBehaviour",
    "Profile", "SimCall", "SimSwitch", "Stats", "SwitchError", "TransportError", "build_switch", "run_realtime",
    "place_call", "run_simulated", "start_background",
]
