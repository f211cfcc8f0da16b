from .message import Attempt, Message, MessageStatus, Purpose
from .optout import OptOut
from .outlet import GatewayKind, Outlet, OutletKind, Template
from .sms import DeliveryReport, InboundPart, InboundSms, RecordedSms

__all__ = [
    "Attempt", "DeliveryReport", "GatewayKind", "InboundPart", "InboundSms", "Message", "MessageStatus", "OptOut",
    "Outlet", "OutletKind", "Purpose", "RecordedSms", "Template",
]
