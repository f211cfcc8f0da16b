"""WebSocket route of the wallboard (collected by kefu/asgi.py)."""

from django.urls import path

from .consumers import WallboardConsumer

websocket_urlpatterns = [path("ws/kpi/", WallboardConsumer.as_asgi())]
