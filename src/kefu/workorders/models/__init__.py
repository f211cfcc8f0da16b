from .calendar import BusinessCalendar
from .coordination import Delivery, Endpoint, Forward, PartySetting, WebhookSubscription
from .digest import SuggestionDigest
from .export import Export
from .notice import Notice
from .order import Channel, Priority, Satisfaction, State, WorkOrder, WorkOrderLink
from .serial import SerialCounter
from .step import Attachment, WorkOrderStep
from .template import ProcessTemplate, TemplateVersion
from .timer import Timer

__all__ = [
    "Attachment", "BusinessCalendar", "Channel", "Delivery", "Endpoint", "Export", "Forward", "Notice", "PartySetting",
    "Priority", "ProcessTemplate", "Satisfaction", "SerialCounter", "State", "SuggestionDigest", "TemplateVersion",
    "Timer", "WebhookSubscription", "WorkOrder", "WorkOrderLink", "WorkOrderStep",
]
