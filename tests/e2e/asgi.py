"""A real ASGI server (uvicorn, in a thread of the test process) for browser tests that need WebSockets.

pytest-django's ``live_server`` speaks WSGI only. This server runs
``kefu.asgi.application`` against the same test database (it shares the
process's settings; use ``transactional_db`` so the data is committed).

Service calls whose pushes must reach the browsers go through ``run_sync``:
it runs the function the way Channels runs a consumer's database work, so
``async_to_sync(group_send)`` lands on the server's event loop, where the
browsers' sockets wait (the in-memory channel layer lives in one loop).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from asgiref.sync import sync_to_async


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AsgiServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop: asyncio.AbstractEventLoop | None = None
        self.server = None
        self.thread: threading.Thread | None = None

    def start(self) -> AsgiServer:
        import uvicorn
        from django.db import connections

        from kefu.asgi import application

        # Django serves each ASGI request in a thread of its own; with persistent
        # connections those threads would leave sessions open and PostgreSQL could
        # not drop the test database afterwards. Close at the end of every request.
        db = connections.settings["default"]
        self._conn_max_age = db.get("CONN_MAX_AGE", 0)
        db["CONN_MAX_AGE"] = 0

        config = uvicorn.Config(application, host="127.0.0.1", port=self.port, lifespan="off",
                                log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.loop = asyncio.new_event_loop()

        def serve():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.server.serve())

        self.thread = threading.Thread(target=serve, name="asgi-test-server", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI test server did not start")
            time.sleep(0.02)
        return self

    def run_sync(self, fn, *args, **kwargs):
        """Call ``fn`` from the server's side (see the module docstring) and return its result."""
        coro = sync_to_async(fn, thread_sensitive=True)(*args, **kwargs)
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def stop(self) -> None:
        from django.db import connections

        try:
            self.run_sync(connections.close_all)  # the server thread's connections, before the test DB goes
        finally:
            self.server.should_exit = True
            self.thread.join(timeout=15)
            connections.settings["default"]["CONN_MAX_AGE"] = self._conn_max_age
