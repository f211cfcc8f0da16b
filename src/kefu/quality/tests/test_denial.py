"""Every quality door denies the anonymous and the unpermitted caller (see core/testing.py).

Inspections, improvement actions and forms one may change belong to an organisation: another branch's
answer like ones that do not exist. ``/mine`` doors are the agent's own: another agent's result is a 404.
"""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.iam.services.roles import staff_grant
from kefu.quality.permissions import DECIDE, FORM_EDIT, FORM_VIEW, IMPROVE, OWN, REPORT, SCORE, VIEW
from kefu.quality.services.disputes import inspection_dispute
from kefu.quality.services.improvements import improvement_create
from kefu.quality.services.inspections import ScoreSheet, inspection_create, inspection_score

from .factories import GOOD, ITEMS, make_contact, make_form, make_queue


def _build():
    w = denial_orgs()
    inspector = make_staff(org=w["province"], perms=[SCORE, VIEW], employee_no="QA-W")
    due = clock.now().date() + timedelta(days=7)
    for prefix, org in (("", w["city"]), ("other_", w["other_city"])):
        agent = make_staff(org=org, employee_no=f"{prefix}agent"[:16])
        staff_grant(actor="test", staff=agent, codes=[OWN])
        queue = make_queue(org, code=f"{prefix}Q")
        w[f"{prefix}agent"] = agent
        w[f"{prefix}form"] = make_form(org, name=f"{prefix}表")
        sheet = ScoreSheet(points=GOOD)
        scored = inspection_create(actor=inspector, contact_id=make_contact(agent, queue=queue).pk)
        w[f"{prefix}inspection"] = inspection_score(actor=inspector, inspection_id=scored.pk, sheet=sheet)
        disputed = inspection_create(actor=inspector, contact_id=make_contact(agent, queue=queue).pk)
        inspection_score(actor=inspector, inspection_id=disputed.pk, sheet=sheet)
        w[f"{prefix}disputed"] = inspection_dispute(actor=agent, inspection_id=disputed.pk, reason="不服")
        w[f"{prefix}contact"] = make_contact(agent, queue=queue)
        w[f"{prefix}improvement"] = improvement_create(
            actor=inspector, inspection_id=scored.pk, title="复习", due_on=due
        )
    w["due"] = due.isoformat()
    return w


world = denial_world(_build)

FORM = {"name": "新评分表", "org_id": "{city}", "items": ITEMS}
PICK = {
    "source": "random",
    "since": "2020-01-01T00:00:00+08:00",
    "until": "2999-01-01T00:00:00+08:00",
    "seed": 1,
}
SCORE_BODY = {"points": GOOD, "comment": "好"}
DECISION = {"decision": "revised", "score": "90", "note": "核实"}
IMPROVEMENT = {"title": "复习问候语", "due_on": "{due}", "inspection_id": "{inspection}"}
PERIOD = {"start": "2020-01-01T00:00:00+08:00", "end": "2999-01-01T00:00:00+08:00"}

API = [
    door("get", "/api/quality/forms", FORM_VIEW),
    door("post", "/api/quality/forms", FORM_EDIT, body=FORM, outside={"city": "other_city"}),
    door("get", "/api/quality/forms/{form}", FORM_VIEW, outside={"form": "other_form"}),
    door(
        "post",
        "/api/quality/forms/{form}/versions",
        FORM_EDIT,
        body={"items": ITEMS[:1]},
        outside={"form": "other_form"},
    ),
    door(
        "post",
        "/api/quality/forms/{form}/active",
        FORM_EDIT,
        body={"active": False},
        outside={"form": "other_form"},
    ),
    door("post", "/api/quality/picks", SCORE, body=PICK),
    door(
        "post",
        "/api/quality/inspections",
        SCORE,
        body={"contact_id": "{contact}"},
        outside={"contact": "other_contact"},
    ),
    door("get", "/api/quality/inspections", VIEW),
    door("get", "/api/quality/inspections/{inspection}", VIEW, outside={"inspection": "other_inspection"}),
    door(
        "post",
        "/api/quality/inspections/{inspection}/score",
        SCORE,
        body=SCORE_BODY,
        outside={"inspection": "other_inspection"},
    ),
    door(
        "post",
        "/api/quality/inspections/{disputed}/decision",
        DECIDE,
        body=DECISION,
        outside={"disputed": "other_disputed"},
    ),
    door("get", "/api/quality/mine", OWN, actor="agent"),
    door(
        "get",
        "/api/quality/mine/{inspection}",
        OWN,
        actor="agent",
        outside={"inspection": "other_inspection"},
    ),
    door(
        "post",
        "/api/quality/mine/{inspection}/dispute",
        OWN,
        actor="agent",
        body={"reason": "客户先挂断"},
        outside={"inspection": "other_inspection"},
    ),
    door("get", "/api/quality/mine/improvements", OWN, actor="agent"),
    door(
        "post",
        "/api/quality/mine/improvements/{improvement}/done",
        OWN,
        actor="agent",
        body={"note": "已学"},
        outside={"improvement": "other_improvement"},
    ),
    door("get", "/api/quality/improvements", VIEW),
    door(
        "post",
        "/api/quality/improvements",
        IMPROVE,
        body=IMPROVEMENT,
        outside={"inspection": "other_inspection"},
    ),
    door(
        "post",
        "/api/quality/improvements/{improvement}/done",
        IMPROVE,
        body={"note": "完成"},
        outside={"improvement": "other_improvement"},
    ),
    door("get", "/api/quality/report", REPORT, body={**PERIOD, "group_by": "team"}),
    door("get", "/api/quality/overview", REPORT, body=PERIOD),
]

UI = [
    door("get", "/quality/", VIEW),
    door("post", "/quality/pick/", SCORE, body={"source": "random", "seed": "1"}, status=(302,)),
    door(
        "post",
        "/quality/pick/contact/",
        SCORE,
        body={"contact": "{contact}"},
        status=(302,),
        outside={"contact": "other_contact"},
    ),
    door("get", "/quality/inspections/{inspection}/", VIEW, outside={"inspection": "other_inspection"}),
    door(
        "post",
        "/quality/inspections/{inspection}/score/",
        SCORE,
        body={"points_greeting": "10", "points_solution": "20"},
        status=(302,),
        outside={"inspection": "other_inspection"},
    ),
    door(
        "post",
        "/quality/inspections/{disputed}/decide/",
        DECIDE,
        body={"decision": "upheld"},
        status=(302,),
        outside={"disputed": "other_disputed"},
    ),
    door(
        "post",
        "/quality/inspections/{inspection}/improvements/",
        IMPROVE,
        body={"title": "复习", "due_on": "{due}"},
        status=(302,),
        outside={"inspection": "other_inspection"},
    ),
    door("get", "/quality/forms/", FORM_VIEW),
    door("get", "/quality/forms/new/", FORM_EDIT),
    door("get", "/quality/forms/{form}/", FORM_VIEW, outside={"form": "other_form"}),
    door(
        "post",
        "/quality/forms/{form}/publish/",
        FORM_EDIT,
        body={"items": "a | 问候 | 10 | 1"},
        status=(302,),
        outside={"form": "other_form"},
    ),
    door("post", "/quality/forms/{form}/toggle/", FORM_EDIT, status=(302,), outside={"form": "other_form"}),
    door("get", "/quality/mine/", OWN, actor="agent"),
    door(
        "get", "/quality/mine/{inspection}/", OWN, actor="agent", outside={"inspection": "other_inspection"}
    ),
    door(
        "post",
        "/quality/mine/{inspection}/dispute/",
        OWN,
        actor="agent",
        body={"reason": "不服"},
        status=(302,),
        outside={"inspection": "other_inspection"},
    ),
    door(
        "post",
        "/quality/mine/improvements/{improvement}/done/",
        OWN,
        actor="agent",
        status=(302,),
        outside={"improvement": "other_improvement"},
    ),
    door("get", "/quality/improvements/", VIEW),
    door(
        "post",
        "/quality/improvements/{improvement}/done/",
        IMPROVE,
        status=(302,),
        outside={"improvement": "other_improvement"},
    ),
    door("get", "/quality/report/", REPORT),
    door("get", "/quality/report/export/", REPORT),
    door("get", "/quality/overview/", REPORT),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
