from .message import Attachment, Delivery, Display, Message, Priority, TargetKind

__all__ = ["Attachment", "Delivery", "Display", "Message", "Priority", "TargetKind"]
