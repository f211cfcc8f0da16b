"""WebSocket route of internal messages (collected by kefu/asgi.py)."""

from django.urls import path

from .consumers import NotifyConsumer

websocket_urlpatterns = [path("ws/notify/", NotifyConsumer.as_asgi())]
