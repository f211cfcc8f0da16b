"""Helpers for the desk, supervisor, queue and record tests (fixtures are in conftest.py)."""

from kefu.contactcenter.services import contacts as ct
from kefu.core.testing import JsonClient, client_for

API = "/api/contactcenter"


def api_for(staff) -> JsonClient:
    return JsonClient(client_for(staff))


def call(number: str, queue, called: str = "10086"):
    """A call as the CTI adapter makes one: arrive, then join the queue."""
    contact = ct.contact_arrive(caller=number, called=called)
    return ct.contact_enqueue(contact=contact, queue=queue)


def ready(api: JsonClient, extension: str) -> dict:
    r = api.post(f"{API}/agent/login", {"extension": extension})
    assert r.status_code == 200, r.content
    r = api.post(f"{API}/agent/state", {"state": "ready"})
    assert r.status_code == 200, r.content
    return r.json()


def websocket_communicator():
    """``channels.testing.WebsocketCommunicator`` without daphne (see cti_support).

    Loading it the daphne-free way leaves ``channels.testing`` as a bare
    package; the class is set on it so later ``from channels.testing import
    WebsocketCommunicator`` (as cti_support tries first) works in any order.
    """
    import sys

    loaded = sys.modules.get("channels.testing.websocket")
    if loaded is None:
        from .cti_support import websocket_communicator_class

        cls = websocket_communicator_class()
    else:
        cls = loaded.WebsocketCommunicator
    package = sys.modules.get("channels.testing")
    if package is not None and not hasattr(package, "WebsocketCommunicator"):
        package.WebsocketCommunicator = cls
    return cls
