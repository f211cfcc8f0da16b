from .agent import AgentSession, AgentState, AgentStateChange, NotReadyReason
from .contact import (
    Callback,
    CallbackReason,
    CallbackState,
    Channel,
    Contact,
    ContactEvent,
    ContactState,
    Direction,
    Offer,
)
from .dial import SWITCH_FAILURES, Dial, DialOutcome, DialState
from .queue import Queue, QueueSkill
from .router import RouterLease
from .switch import SwitchStatus

__all__ = [
    "SWITCH_FAILURES", "AgentSession", "AgentState", "AgentStateChange", "Callback", "CallbackReason",
    "CallbackState", "Channel", "Contact", "ContactEvent", "ContactState", "Dial", "DialOutcome", "DialState",
    "Direction", "NotReadyReason", "Offer", "Queue", "QueueSkill", "RouterLease", "SwitchStatus",
]
