import pytest

from kefu.contactcenter.services.contacts import contact_arrive

from .factories import PLAIN_PASSWORD, VIP_PASSWORD, build_center

__all__ = ["PLAIN_PASSWORD", "VIP_PASSWORD", "texts"]


@pytest.fixture
def center(province):
    """See ``factories.build_center``."""
    return build_center(province)


@pytest.fixture
def call():
    """A new inbound call from ``caller`` to ``called`` (default 10086), as the switch would report it."""

    def make(caller: str, called: str = "10086"):
        return contact_arrive(caller=caller, called=called, external_id=f"sim-{caller}")

    return make


def texts(commands) -> str:
    """Everything the caller hears in these commands, joined."""
    return " ".join(c["text"] for c in commands if c["type"] == "play")
