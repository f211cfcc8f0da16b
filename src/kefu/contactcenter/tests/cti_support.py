"""Test helpers for the CTI: a stub IVR runtime and a recorder of pushed commands."""

from __future__ import annotations

import importlib
import os
import sys
import types

from kefu.contactcenter.models import Contact, Queue
from kefu.contactcenter.services.contacts import contact_enqueue
from kefu.core.testing import make_staff
from kefu.iam.services.tokens import api_token_create

MENU = [{"type": "play", "text": "welcome"},
        {"type": "collect", "max_digits": 1, "timeout": 8, "terminator": ""}]


class StubIvr:
    """The IVR runtime's interface with a two-key menu: 1 hears the bill and hangs up, 0 asks for an agent.

    VIP callers go to the VIP queue, everyone else to GEN; two silences send the caller to an agent.
    """

    def __init__(self):
        self.calls: list[tuple[str, int, str]] = []

    def _path(self, contact, step):
        Contact.objects.filter(pk=contact.pk).update(ivr_path=[*contact.ivr_path, step])
        contact.ivr_path = [*contact.ivr_path, step]

    def _to_agent(self, contact):
        code = "VIP" if contact.service_tier == "vip" else "GEN"
        contact_enqueue(contact=contact, queue=Queue.objects.get(code=code))
        return [{"type": "play", "text": "connecting you"}, {"type": "queue", "queue": code}]

    def ivr_start(self, *, contact):
        self.calls.append(("start", contact.pk, ""))
        self._path(contact, "menu")
        return list(MENU)

    def ivr_input(self, *, contact, digits):
        self.calls.append(("input", contact.pk, digits))
        self._path(contact, f"key:{digits}")
        if digits == "1":
            return [{"type": "play", "text": "your bill is 88.00 yuan"}, {"type": "play", "text": "goodbye"},
                    {"type": "hangup"}]
        if digits == "0":
            return self._to_agent(contact)
        return [{"type": "play", "text": "invalid key"}, *MENU[1:]]

    def ivr_timeout(self, *, contact):
        self.calls.append(("timeout", contact.pk, ""))
        self._path(contact, "timeout")
        if contact.ivr_path.count("timeout") >= 2:
            return self._to_agent(contact)
        return list(MENU)


def switch_token(org, *, perms=("contactcenter.cti.connect",), employee_no="SW1"):
    """A switch staff member and its API token secret."""
    staff = make_staff(org=org, perms=list(perms), employee_no=employee_no, name="交换机")
    _token, secret = api_token_create(actor="test", name="switch", staff=staff)
    return staff, secret


def incoming(call_id, caller="13900000002", called="10086", **extra):
    return {"type": "call.incoming", "call_id": call_id, "caller": caller, "called": called, **extra}


def websocket_communicator_class():
    """``channels.testing.WebsocketCommunicator``.

    ``channels/testing/__init__.py`` also imports its live-server test case,
    which needs daphne, a server Kefu does not use (it runs uvicorn). Without
    daphne, the package is loaded without that one module.
    """
    try:
        from channels.testing import WebsocketCommunicator

        return WebsocketCommunicator
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("daphne"):
            raise
    import channels

    package = types.ModuleType("channels.testing")
    package.__path__ = [os.path.join(os.path.dirname(channels.__file__), "testing")]
    sys.modules["channels.testing"] = package
    return importlib.import_module("channels.testing.websocket").WebsocketCommunicator
