"""Django's ASGI handler with the whole middleware chain and the view run in one thread hop.

Django builds an ASGI handler's chain for the event loop. Kefu's middleware is synchronous (sessions,
authentication, audit: all database work), so Django adapts each boundary: into a thread for the
middleware, back onto the loop for the async request core, into a thread again for the (sync) view:
three hops per request, each with its futures, locks and context copies. Profiled under load
(``bench/routing.py --e2e``) that was over a tenth of a server process's CPU. Built as a synchronous
chain and entered once through ``sync_to_async`` (thread-sensitive, as Django's own top adapter is),
a request crosses into a thread once and runs middleware and view there, as under WSGI.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class OneHopASGIHandler(ASGIHandler):
    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def get_asgi_application() -> OneHopASGIHandler:
    """``django.core.asgi.get_asgi_application`` with the one-hop handler."""
    import django

    django.setup(set_prefix=False)
    return OneHopASGIHandler()
