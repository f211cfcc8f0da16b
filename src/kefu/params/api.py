"""System parameter API: definitions with their values; set and reset.

Values are sent as JSON: a number of seconds or a text like ``"8h"`` for
durations, ``true``/``false`` for booleans, the choice's code for choices.
An invalid value answers 400 with the reason in the caller's language; a
stale ``version`` answers 409.
"""

from datetime import datetime
from typing import Any

from ninja import Body, Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt, constr

from kefu.core.access import actor_of, requires
from kefu.core.pagination import Pagination
from kefu.core.schemas import InputSchema

from . import registry, selectors, services
from .selectors import ParamState

router = Router(tags=["parameters"])


class ChoiceOut(Schema):
    value: str
    label: str


class ParamOut(Schema):
    key: str
    type: str
    group: str
    group_label: str
    label: str
    description: str
    value: Any
    display: str
    default: Any
    default_display: str
    is_default: bool
    min_value: int | None
    max_value: int | None
    min_display: str | None
    max_display: str | None
    choices: list[ChoiceOut]
    version: int = Field(..., description="0 while never changed; send it back to guard against lost updates")
    updated_at: datetime | None
    updated_by: str | None = Field(None, description="Employee number of who changed it last")


class ParamFilters(Schema):
    group: str | None = Field(None, max_length=32)


class ParamSetIn(InputSchema):
    value: StrictBool | StrictInt | constr(max_length=1000)
    version: int | None = None


class ParamResetIn(InputSchema):
    version: int | None = None


def _out(state: ParamState) -> dict:
    p = state.definition
    return {
        "key": p.key, "type": p.type, "group": p.group, "group_label": registry.group_label(p.group),
        "label": str(p.label), "description": str(p.description),
        "value": state.value, "display": state.display, "default": p.default,
        "default_display": state.default_display, "is_default": state.is_default,
        "min_value": p.min_value, "max_value": p.max_value,
        "min_display": state.min_display, "max_display": state.max_display,
        "choices": [{"value": c, "label": str(label)} for c, label in p.choices],
        "version": state.version, "updated_at": state.updated_at,
        "updated_by": state.updated_by.employee_no if state.updated_by else None,
    }


@router.get("/", response=list[ParamOut], summary="Every parameter with its current value")
@requires("params.param.view")
@paginate(Pagination)
def param_list(request, filters: Query[ParamFilters]):
    return [_out(s) for s in selectors.param_states(group=filters.group)]


@router.get("/{key}", response=ParamOut, summary="One parameter")
@requires("params.param.view")
def param_get(request, key: str):
    return _out(selectors.param_state(key))


@router.put("/{key}", response=ParamOut, summary="Set a parameter (validated; takes effect at once)")
@requires("params.param.edit")
def param_set(request, key: str, payload: ParamSetIn):
    services.param_set(actor=actor_of(request), key=key, raw=payload.value, version=payload.version)
    return _out(selectors.param_state(key))


@router.post("/{key}/reset", response=ParamOut, summary="Back to the default")
@requires("params.param.edit")
def param_reset(request, key: str, payload: Body[ParamResetIn | None] = None):
    version = payload.version if payload is not None else None
    services.param_reset(actor=actor_of(request), key=key, version=version)
    return _out(selectors.param_state(key))
