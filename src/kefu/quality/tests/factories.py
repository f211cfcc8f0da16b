"""Test data of quality inspection: contacts as the contact center records them, a scoring form."""

from __future__ import annotations

from datetime import timedelta

from kefu.contactcenter.models import Contact, ContactState, Queue
from kefu.core import clock
from kefu.quality.services.forms import FormData, form_create

ITEMS = [
    {"key": "greeting", "label": "规范问候", "max_points": 10, "weight": 1},
    {"key": "solution", "label": "解决问题", "max_points": 20, "weight": 3},
    {"key": "rude", "label": "辱骂客户", "fatal": True},
]
GOOD = {"greeting": 10, "solution": 20}


def make_queue(org, code: str = "Q-GZ") -> Queue:
    return Queue.objects.create(code=code, name=code, org=org)


def make_contact(agent, *, queue=None, talk: int = 120, at=None, ended: bool = True) -> Contact:
    start = at or clock.now() - timedelta(hours=1)
    return Contact.objects.create(
        agent=agent,
        queue=queue,
        started_at=start,
        enqueued_at=start,
        answered_at=start + timedelta(seconds=10),
        ended_at=start + timedelta(seconds=10 + talk) if ended else None,
        state=ContactState.ENDED if ended else ContactState.CONNECTED,
        caller="13900000001",
    )


def make_form(org, *, name: str = "热线评分表", items=None, actor="test", **kw):
    return form_create(actor=actor, data=FormData(name=name, org_id=org.pk, items=items or ITEMS, **kw))
