"""Who asked for a dial (its purpose: callbacks, campaigns): told when it starts and ends, asked what the desk
shows with it and told of the agent's wrap-up. Below the router (the screen pop reads it), above the models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..models import Contact, Dial

__all__ = ["Purpose", "purpose_brief", "purpose_outcome_known", "purpose_progressive", "purpose_register",
           "purpose_wrapped_up"]


@dataclass(frozen=True)
class Purpose:
    """What a purpose does when its dial starts (an agent is reserved) and when it has an outcome.

    ``brief`` (optional) says what the desk shows with the preview and the call (title, script, the
    outcomes the agent may record); ``wrapped_up`` (optional) hears the agent's wrap-up of an answered
    call, in its transaction, and may refuse it (``ValidationFailed``).
    """

    started: Callable[[Dial], None]
    finished: Callable[[Dial], None]
    brief: Callable[[Dial], dict | None] | None = None
    wrapped_up: Callable[..., None] | None = None
    keyed: Callable[[Dial], None] | None = None
    progressive: Callable[[Dial], bool] | None = None


_purposes: dict[str, Purpose] = {}


def purpose_register(name: str, *, started: Callable[[Dial], None], finished: Callable[[Dial], None],
                     brief: Callable[[Dial], dict | None] | None = None,
                     wrapped_up: Callable[..., None] | None = None,
                     keyed: Callable[[Dial], None] | None = None,
                     progressive: Callable[[Dial], bool] | None = None) -> None:
    """Let ``name``'s owner follow its dials (in the dial's transaction). Called once at import.

    ``keyed`` hears that the customer confirmed an announcement (``services.announcements``); ``progressive``
    says whether a dial is placed as soon as an agent is offered it, without waiting for the accept."""
    _purposes[name] = Purpose(started=started, finished=finished, brief=brief, wrapped_up=wrapped_up, keyed=keyed,
                              progressive=progressive)


def purpose_brief(dial: Dial) -> dict | None:
    """What the dial's purpose shows the agent with the preview and the call, if it says anything."""
    purpose = _purposes.get(dial.purpose)
    return purpose.brief(dial) if purpose is not None and purpose.brief is not None else None


def purpose_wrapped_up(*, contact: Contact, actor, disposition: str, notes: str) -> None:
    """The agent wrapped up a call Kefu placed: its purpose records how it went (caller's transaction)."""
    dial = Dial.objects.filter(contact=contact).first()  # the dial's one-to-one index on contact
    purpose = _purposes.get(dial.purpose) if dial is not None else None
    if dial is not None and purpose is not None and purpose.wrapped_up is not None:
        purpose.wrapped_up(dial, actor=actor, disposition=disposition, notes=notes)


def purpose_progressive(contact: Contact) -> bool:
    """Whether the planned dial of this outbound contact is placed on the offer (progressive dialling)."""
    dial = Dial.objects.filter(contact=contact, state="planned").first()  # the dial's one-to-one index on contact
    purpose = _purposes.get(dial.purpose) if dial is not None else None
    return bool(dial is not None and purpose is not None and purpose.progressive is not None
                and purpose.progressive(dial))


def purpose_outcome_known(*, contact_id: int, disposition: str) -> bool:
    """Whether ``disposition`` is one of the outcomes the purpose of this placed call lets its agent record."""
    dial = Dial.objects.filter(contact_id=contact_id).first()  # the dial's one-to-one index on contact
    brief = purpose_brief(dial) if dial is not None else None
    if not brief:
        return False
    return disposition in [code for code, _label in brief.get("outcomes", [])]


def _tell_purpose(dial: Dial, what: str) -> None:
    purpose = _purposes.get(dial.purpose)
    hook = getattr(purpose, what) if purpose is not None else None
    if hook is not None:
        hook(dial)


