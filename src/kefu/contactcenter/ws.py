"""WebSocket routes of the contact center (collected by kefu/asgi.py)."""

from django.urls import path

from .consumers import AgentConsumer, SupervisorConsumer
from .cti.consumer import CtiConsumer

websocket_urlpatterns = [
    path("ws/cti/", CtiConsumer.as_asgi()),
    path("ws/agent/", AgentConsumer.as_asgi()),
    path("ws/supervisor/", SupervisorConsumer.as_asgi()),
]
