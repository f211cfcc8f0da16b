"""The customer's chat socket (/ws/webchat/).

The customer has no login: the socket is opened with the browser's session,
which holds the key of the visit the SMS code opened (see ``views_public``).
It joins the one group of that visit's contact (``contact-<id>``), forwards
the chat's events to the page, and takes the customer's lines, typing and
end, each through the chat services. The consumer carries no authority of its
own beyond that key.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from kefu.core.errors import KefuError

SESSION_KEY = "webchat_visit"
CLOSE_NO_CHAT = 4404
#: Events of the contact's group the page may see (anything else pushed to the group is not forwarded).
FORWARDED = {"chat.message", "chat.typing", "contact.answered", "contact.transferred", "contact.ended"}


def _visit_of(session):
    from .selectors import visit_by_token

    token = session.get(SESSION_KEY) if session is not None else None
    visit = visit_by_token(token=token or "")
    return visit if visit is not None and visit.contact_id else None


class CustomerChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.group = None
        self.visit = await database_sync_to_async(_visit_of)(self.scope.get("session"))
        if self.visit is None:
            await self.close(code=CLOSE_NO_CHAT)
            return
        self.group = f"contact-{self.visit.contact_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "contact": self.visit.contact_id})

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            content = json.loads(text_data) if text_data else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "message":
            await self._act(self._message, str(content.get("text") or "")[:4000], ref=content.get("ref"))
        elif kind == "typing":
            await database_sync_to_async(self._typing)()
        elif kind == "end":
            await self._act(self._end)

    async def _act(self, fn, *args, ref=None):
        try:
            await database_sync_to_async(fn)(*args)
        except KefuError as exc:  # told to the page; the socket stays open
            await self.send_json({"type": "error", "code": exc.code, "message": str(exc.message), "ref": ref})

    def _message(self, text: str) -> None:
        from .services.chats import customer_message

        customer_message(visit_id=self.visit.pk, text=text)

    def _typing(self) -> None:
        from .services.chats import customer_typing

        customer_typing(visit=self.visit)

    def _end(self) -> None:
        from .services.chats import customer_end

        customer_end(visit_id=self.visit.pk)

    async def kefu_event(self, message):
        event = message["event"]
        if event.get("type") in FORWARDED:
            await self.send_json(event)
