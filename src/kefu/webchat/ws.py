"""WebSocket route of the web chat (collected by kefu/asgi.py)."""

from django.urls import path

from .consumers import CustomerChatConsumer

websocket_urlpatterns = [
    path("ws/webchat/", CustomerChatConsumer.as_asgi()),
]
