"""Browser WebSockets: the agent desktop (/ws/agent/) and the supervisor view (/ws/supervisor/).

They only forward what ``services.realtime`` pushes to their group; the page
then asks the API for the state it should show. So a socket carries no
authority of its own: it is opened with the browser's session, checked once
for the permission, and joins exactly one group — an agent hears only its
own offers, because its group is named after its own staff id.
"""

from __future__ import annotations

import json
import os

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def _allowed(user, code: str) -> bool:
    from kefu.iam.permissions import has_perm

    return has_perm(user, code)


class _EventConsumer(AsyncJsonWebsocketConsumer):
    permission = ""

    def group_for(self, user) -> str:
        raise NotImplementedError

    async def connect(self):
        self.group = None
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await database_sync_to_async(_allowed)(user, self.permission):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = self.group_for(user)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # The server process holding the socket: with several processes, which one a push must cross to.
        await self.send_json({"type": "hello", "group": self.group, "server": os.getpid()})

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


class AgentConsumer(_EventConsumer):
    permission = "contactcenter.desk.use"

    def group_for(self, user) -> str:
        return f"agent-{user.pk}"


class SupervisorConsumer(_EventConsumer):
    permission = "contactcenter.supervise.view"

    def group_for(self, user) -> str:
        return "supervisors"
