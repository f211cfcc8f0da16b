"""The notification socket every page of a logged-in person opens (/ws/notify/).

It forwards what ``services.sending`` and ``services.receipts`` push to the person's own group
(``notify-<staff id>``) and nothing else: it is opened with the browser's session, needs no permission
(everyone receives notices) and carries no authority — confirming a pop-up goes through the API.
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

CLOSE_UNAUTHENTICATED = 4401


class NotifyConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        from .services.sending import notify_group

        self.group = None
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = notify_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello"})

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Pages only listen; a ping keeps proxies from closing an idle socket. Anything else is ignored.
        try:
            content = json.loads(text_data) if text_data else None
        except ValueError:
            content = None
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def kefu_event(self, message):
        await self.send_json(message["event"])
