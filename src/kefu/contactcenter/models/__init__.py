from .agent import AgentSession, AgentState, AgentStateChange, NotReadyReason
from .contact import Callback, Channel, Contact, ContactEvent, ContactState, Direction, Offer
from .queue import Queue, QueueSkill
from .router import RouterLease

__all__ = [
    "AgentSession", "AgentState", "AgentStateChange", "Callback", "Channel", "Contact", "ContactEvent",
    "ContactState", "Direction", "NotReadyReason", "Offer", "Queue", "QueueSkill", "RouterLease",
]
