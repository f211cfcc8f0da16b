import pytest

from kefu.surveys import script as pure
from kefu.surveys.services.scripts import ScriptData, script_create, script_publish


def make_script(org, *, code="CSAT", definition=None, publish=True):
    """A script (the example one unless ``definition``), published by default; returns (script, version)."""
    script = script_create(
        actor="test",
        data=ScriptData(code=code, name="服务满意度回访", org_id=org.pk),
        definition=definition or pure.example(),
    )
    version = script_publish(actor="test", script=script) if publish else script.versions.get()
    return script, version


@pytest.fixture
def published(city):
    return make_script(city)
