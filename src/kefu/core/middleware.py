from __future__ import annotations

from . import context


def client_ip(request) -> str:
    # Only REMOTE_ADDR is trusted; a deployment behind a proxy sets it with the
    # proxy's own real-IP module, never by trusting a client header here.
    return request.META.get("REMOTE_ADDR", "") or ""


class RequestContextMiddleware:
    """Publishes the caller's address and channel for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        meta = context.RequestMeta(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            channel=channel,
        )
        token = context.set_meta(meta)
        try:
            return self.get_response(request)
        finally:
            context.reset_meta(token)
