"""ASGI entry point: Django for HTTP, Channels for WebSocket.

Each app may expose ``websocket_urlpatterns`` in ``<app>/ws.py``; they are
collected here. Browsers authenticate with their session; switches (CTI) with
an API token (see kefu/contactcenter/ws.py).
"""

import importlib
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.apps import apps  # noqa: E402


def _websocket_patterns() -> list:
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kefu."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.ws")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.ws":
                raise
            continue
        patterns.extend(getattr(module, "websocket_urlpatterns", []))
    return patterns


application = ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(_websocket_patterns()))),
})
