"""ASGI entry point: Django for HTTP, Channels for WebSocket.

Each app may expose ``websocket_urlpatterns`` in ``<app>/ws.py``; they are
collected here. Browsers authenticate with their session; switches (CTI) with
an API token (see kefu/contactcenter/ws.py).
"""

import importlib
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from kefu.core.asgi_handler import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402


class BrowserOriginValidator(OriginValidator):
    """Refuse cross-site pages, admit clients that are not browsers.

    Browsers always send ``Origin`` on a WebSocket handshake, so a missing one
    means a non-browser client, such as a switch presenting an API token
    (/ws/cti/). Cross-site hijacking of a session needs a browser, which sends
    ``Origin`` and is checked against ALLOWED_HOSTS as before.
    """

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or super().valid_origin(parsed_origin)


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


class _RememberLoop:
    """Tell the real-time pushes which event loop serves the sockets (see contactcenter.services.realtime)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        from kefu.contactcenter.services.realtime import remember_loop

        remember_loop()
        return await self.app(scope, receive, send)


application = _RememberLoop(ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": BrowserOriginValidator(AuthMiddlewareStack(URLRouter(_websocket_patterns())), settings.ALLOWED_HOSTS),
}))

if settings.KEFU_ROUTER == "service" and os.environ.get("KEFU_ROUTER_IN_PROCESS", "1") != "0":
    # Every server process runs a router candidate (one per site is active; see docs/decisions/0024), so a
    # site served by plain uvicorn routes without a further process; `kefu serve` with Redis runs the
    # router in a process of its own instead (KEFU_ROUTER_IN_PROCESS=0).
    from kefu.contactcenter.services.router_service import start_in_this_process  # noqa: E402

    start_in_this_process()
