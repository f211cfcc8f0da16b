"""Security headers and the session idle timeout.

- ``Content-Security-Policy`` on every answer: scripts only from Kefu's own static files (no inline
  scripts, no ``on*=""`` handlers, no eval), styles from Kefu plus inline ``style=""`` attributes (a few
  templates set widths and indents that way), nothing framed, forms posted to Kefu only. Templates ask for
  small behaviours with data attributes that ``core/kefu.js`` implements (``data-confirm``, ``data-clear``,
  ``data-submit-on-change``, ``data-select-on-click``).
- ``Cache-Control: no-store`` on every API answer and every page or file answered to a signed-in person:
  they show customer data, which must not stay in a shared browser's or proxy's cache.
- A page session ends after ``iam.session.idle_timeout`` without a request, beside the absolute age
  ``SESSION_COOKIE_AGE``. Requests a page makes by itself (polling: the worker status, an export's
  progress, the supervisor's wall board) send ``X-Kefu-Background: 1`` and do not count as activity.
- ``Strict-Transport-Security`` when cookies are secure (``KEFU_SECURE_COOKIES``), for
  ``KEFU_HSTS_SECONDS`` (a year by default).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

#: Session key holding the time (epoch seconds) of the person's last request.
LAST_SEEN = "kefu_last_seen"
#: Write the time back at most this often (seconds): a session save per request is a write per request.
LAST_SEEN_RESOLUTION = 30
BACKGROUND_HEADER = "HTTP_X_KEFU_BACKGROUND"
#: The smallest idle timeout the parameter ``iam.session.idle_timeout`` allows (seconds).
MIN_IDLE_TIMEOUT = 60


def content_security_policy(request) -> str:
    host = request.get_host()
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' ws://{host} wss://{host}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def wall_time() -> float:
    """Real time, not ``kefu.core.clock``: idleness is a person's real absence, like the absolute session
    age Django measures; moving Kefu's clock (tests, the simulator, demos of deadlines) must not sign
    everyone out."""
    return time.time()


def _idle_timeout_seconds() -> float:
    from kefu.params.selectors import param_get

    return param_get("iam.session.idle_timeout").total_seconds()


class SecurityHeadersMiddleware:
    """Idle timeout before the view; CSP and cache headers after it. Sits after the authentication
    middleware (it needs ``request.user`` and the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._check_idle(request)
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request))
        if settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS:
            # Also behind a proxy that ends TLS (request.is_secure() is false there); browsers ignore the
            # header on plain HTTP.
            response.setdefault("Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}")
        if request.path.startswith("/api/") or (
                not request.path.startswith(settings.STATIC_URL) and _signed_in(request)):
            add_never_cache_headers(response)
        return response

    def _check_idle(self, request) -> None:
        session = getattr(request, "session", None)
        if session is None or not session.get("_auth_user_id"):
            return
        now = wall_time()
        last = session.get(LAST_SEEN)
        # The parameter is read only when the pause could exceed its smallest allowed value (a minute),
        # so a person working steadily costs no query for it.
        if last is not None and now - last > MIN_IDLE_TIMEOUT and now - last > _idle_timeout_seconds():
            logout(request)  # flushes the session; the view sees an anonymous visitor
            return
        if request.META.get(BACKGROUND_HEADER) == "1" and last is not None:
            return
        if last is None or now - last >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_authenticated", False))

