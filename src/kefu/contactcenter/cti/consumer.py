"""The switch's WebSocket (/ws/cti/): events in, commands out, both ways at once.

A switch authenticates with an API token, given as ``Authorization: Bearer``
on the handshake, a ``token`` query parameter, or a first ``hello`` message.
Once in, it joins the "cti" group, so commands the core decides on its own
(route after an agent accepts, hangup, hold, transfer, conference) reach it
as they commit. Every bad message gets an error message back; nothing a
switch sends can crash the consumer.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.audit.services import AuditAction, audit_record
from kefu.core import context
from kefu.core.errors import KefuError, NotAuthenticated, PermissionDenied

from . import protocol
from .adapter import default_adapter
from .auth import switch_staff

log = logging.getLogger("kefu.contactcenter.cti")
GROUP = "cti"
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def _token_from_scope(scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            kind, _sep, token = value.decode("latin1").partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    tokens = query.get("token")
    return tokens[0] if tokens else None


def _meta(scope) -> context.RequestMeta:
    client = scope.get("client") or ("", 0)
    return context.RequestMeta(ip=str(client[0] or "")[:45], channel="cti")


class CtiConsumer(AsyncWebsocketConsumer):
    adapter = None  # CtiConsumer.as_asgi(adapter=...) in tests; the installed IVR otherwise

    async def connect(self):
        self.token = None
        self.staff = None
        self.switch_name = ""
        self.protocol = protocol.PROTOCOL_VERSION  # a hello may say the switch speaks an older one
        await self.accept()
        token = _token_from_scope(self.scope)
        if token:
            await self._log_in(token, re=None)

    async def disconnect(self, code):
        if getattr(self, "staff", None) is not None:
            await self.channel_layer.group_discard(GROUP, self.channel_name)
            await database_sync_to_async(self._audit)(AuditAction.LOGOUT)

    async def receive(self, text_data=None, bytes_data=None):
        re = None
        try:
            data = protocol.loads(text_data if text_data is not None else bytes_data)
            re = protocol.message_id(data)
            if data.get("type") == "hello":
                hello = protocol.parse_hello(data)
                self.switch_name, self.protocol = hello.switch, hello.protocol
                await self._log_in(hello.token, re=re)
                return
            if self.staff is None:
                raise NotAuthenticated(_("Say hello with your API token first."), code="not_authenticated")
            event = protocol.parse_event(data)
            commands = await database_sync_to_async(self._handle)(event)
        except (NotAuthenticated, PermissionDenied) as exc:
            await self._refuse(exc, re)
            return
        except KefuError as exc:
            await self._send(protocol.error(exc.code, exc.message, details=exc.details, re=re))
            return
        except Exception:
            log.exception("CTI event failed")
            await self._send(protocol.error("internal_error", _("Kefu could not process this event; it was not "
                                                                "applied. Send it again."), re=re))
            return
        for cmd in commands:
            await self._send(dict(cmd, re=re) if re else cmd)

    async def kefu_event(self, message):
        """A command the core pushed to the "cti" group."""
        cmd = protocol.command_from_core(message.get("event") or {})
        if cmd is not None and self.staff is not None and protocol.speaks(self.protocol, cmd["type"]):
            await self._send(cmd)

    # --- helpers -----------------------------------------------------------------------------

    async def _log_in(self, token: str, *, re: str | None) -> None:
        try:
            staff = await database_sync_to_async(switch_staff)(token)
        except (NotAuthenticated, PermissionDenied) as exc:
            await self._refuse(exc, re)
            return
        first = self.staff is None
        self.token, self.staff = token, staff
        if first:
            await self.channel_layer.group_add(GROUP, self.channel_name)
            await database_sync_to_async(self._audit)(AuditAction.LOGIN)
        welcome = {"type": "welcome", "protocol": self.protocol, "staff": staff.employee_no}
        await self._send(dict(welcome, re=re) if re else welcome)

    async def _refuse(self, exc: KefuError, re: str | None) -> None:
        await self._send(protocol.error(exc.code, exc.message, details=exc.details, re=re))
        if self.staff is not None:
            await self.channel_layer.group_discard(GROUP, self.channel_name)
            self.staff = None
        await self.close(code=CLOSE_FORBIDDEN if isinstance(exc, PermissionDenied) else CLOSE_UNAUTHENTICATED)

    def _handle(self, event) -> list[dict]:
        staff = switch_staff(self.token)  # revoked tokens and withdrawn permissions stop here
        with context.acting(_meta(self.scope)):
            return (self.adapter or default_adapter()).handle(event, actor=staff)

    def _audit(self, action: str) -> None:
        with context.acting(_meta(self.scope)), transaction.atomic():
            audit_record(actor=self.staff, action=action, object_type="contactcenter.cti",
                         object_repr=self.switch_name or "switch", note="CTI WebSocket")

    async def _send(self, message: dict) -> None:
        await self.send(text_data=json.dumps(message, ensure_ascii=False, default=str))
