"""Setting and resetting parameters: validation, effect, versions, audit."""

from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.params.models import ParameterValue
from kefu.params.selectors import param_get, param_raw, param_state, param_states
from kefu.params.services import param_reset, param_set

VIP = "sla.reply.vip"


def audits():
    return AuditEntry.objects.filter(object_type="params.parameter", object_id=VIP)


def test_a_change_takes_effect_at_once(admin):
    assert param_get(VIP) == timedelta(hours=8)
    param_set(actor=admin, key=VIP, raw="6h")
    assert param_get(VIP) == timedelta(hours=6)
    assert param_raw(VIP) == 21600


def test_a_change_is_audited_with_before_and_after(admin):
    param_set(actor=admin, key=VIP, raw="6h")
    entry = audits().get()
    assert entry.action == "update" and entry.actor == admin
    assert entry.changes == {"value": [28800, 21600]}
    assert VIP in entry.object_repr


def test_invalid_values_are_refused_and_nothing_is_written(admin):
    for raw in ("abc", "10s", "90d", ""):
        with pytest.raises(ValidationFailed):
            param_set(actor=admin, key=VIP, raw=raw)
    assert not ParameterValue.objects.exists()
    assert not audits().exists()


def test_unknown_parameter_is_not_found(admin):
    with pytest.raises(NotFound):
        param_set(actor=admin, key="no.such", raw="1")
    with pytest.raises(NotFound):
        param_reset(actor=admin, key="no.such")


def test_versions_count_up_and_a_stale_one_is_a_conflict(admin):
    assert param_state(VIP).version == 0
    param_set(actor=admin, key=VIP, raw="6h", version=0)
    assert param_state(VIP).version == 1
    with pytest.raises(Conflict):
        param_set(actor=admin, key=VIP, raw="7h", version=0)
    assert param_get(VIP) == timedelta(hours=6)
    param_set(actor=admin, key=VIP, raw="7h", version=1)
    assert param_state(VIP).version == 2


def test_setting_the_same_value_changes_nothing(admin):
    param_set(actor=admin, key=VIP, raw="8h")
    assert not ParameterValue.objects.exists() and not audits().exists()
    param_set(actor=admin, key=VIP, raw="6h")
    param_set(actor=admin, key=VIP, raw="360m")
    assert param_state(VIP).version == 1 and audits().count() == 1


def test_reset_returns_to_the_default_and_keeps_the_story(admin):
    param_set(actor=admin, key=VIP, raw="6h")
    param_reset(actor=admin, key=VIP, version=1)
    state = param_state(VIP)
    assert param_get(VIP) == timedelta(hours=8)
    assert state.is_default and state.version == 2 and state.updated_by == admin
    reset = audits().order_by("id").last()
    assert reset.changes == {"value": [21600, 28800]} and reset.note == "Reset to the default"
    with pytest.raises(Conflict):
        param_set(actor=admin, key=VIP, raw="5h", version=1)  # the editor from before the reset


def test_reset_of_a_default_changes_nothing(admin):
    param_reset(actor=admin, key=VIP)
    assert not ParameterValue.objects.exists() and not audits().exists()


def test_a_reset_parameter_follows_the_code_default(admin, monkeypatch):
    from kefu.params import registry

    param_set(actor=admin, key=VIP, raw="6h")
    param_reset(actor=admin, key=VIP)
    changed = registry.Param(VIP, registry.DURATION, 4 * 3600, "VIP", group="sla", min_value=60)
    monkeypatch.setitem(registry._params, VIP, changed)
    assert param_get(VIP) == timedelta(hours=4)


def test_states_list_every_parameter_with_its_value(admin):
    param_set(actor=admin, key="iam.login.max_failures", raw="3")
    states = {s.key: s for s in param_states()}
    assert states["iam.login.max_failures"].value == 3 and not states["iam.login.max_failures"].is_default
    assert states[VIP].is_default and states[VIP].display == "8h" and states[VIP].input_value == "8h"
    assert {s.definition.group for s in param_states(group="sla")} == {"sla"}


def test_a_change_by_the_system_has_no_staff_author(db):
    param_set(actor="system", key=VIP, raw="7h")
    assert param_state(VIP).updated_by is None
    assert audits().get().actor_label == "system"
