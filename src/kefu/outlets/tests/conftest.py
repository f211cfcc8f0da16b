import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kefu.crm.tests.factories import make_customer

from ..gateways.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

SECRET = "gateway-secret-123"


@pytest.fixture
def customer(city):
    return make_customer(org=city, name="李娜", number="13800000001")


@pytest.fixture
def gen_queue(province):
    from kefu.contactcenter.models import Queue

    return Queue.objects.create(code="GEN", name="综合队列", org=province)


class GatewayServer:
    """A real HTTP SMS gateway on localhost: checks the signature, keeps what it received, answers by plan."""

    def __init__(self, secret: str = SECRET):
        self.secret = secret
        self.received: list[dict] = []
        self.bad_signatures = 0
        self.plan: list[int] = []  # statuses to answer, in order; 200 once it is empty
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not verify(outer.secret, self.headers.get(TIMESTAMP_HEADER, ""), body,
                              self.headers.get(SIGNATURE_HEADER, "")):
                    outer.bad_signatures += 1
                    self._answer(403, {"error": "bad signature"})
                    return
                status = outer.plan.pop(0) if outer.plan else 200
                data = json.loads(body)
                outer.received.append(data)
                self._answer(status, {"id": f"gw-{len(outer.received)}"} if status == 200 else {"error": "no"})

            def _answer(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_server():
    with GatewayServer() as server:
        yield server


@pytest.fixture
def http_sms(gateway_server, db):
    """The SMS outlet switched to the HTTP gateway above."""
    from ..services.config import OutletSettings, outlet_update

    return outlet_update(actor="test", code="sms", settings=OutletSettings(
        active=True, rate_per_second=1000, burst=1000, gateway="http", gateway_url=gateway_server.url,
        gateway_secret=SECRET, sender="10086"))


def fill_bucket(code: str = "sms", n: int = 1000) -> None:
    from ..models import Outlet

    Outlet.objects.filter(code=code).update(tokens=n, burst=n, rate_per_second=n)
