"""Every surveys door denies the anonymous and the unpermitted caller (see core/testing.py).

Scripts and surveys belong to an organisation: another branch's answer like ones that do not exist. The
customer's questionnaire is public (reached by its signed link) and tested in test_pages.py.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params
from kefu.crm.tests.factories import make_customer
from kefu.surveys.services.sampling import RuleData, rule_create
from kefu.surveys.services.surveys import SurveyData, survey_create

from .conftest import make_script


def _build():
    w = denial_orgs()
    make_customer(org=w["city"], name="王伟", number="13900000001")
    make_customer(org=w["other_city"], name="李娜", number="13900000002")
    for key, org in (("script", w["city"]), ("other_script", w["other_city"])):
        script, version = make_script(org, code=key)
        w[key] = script
        w[key.replace("script", "rule")] = rule_create(
            actor="test",
            script=script,
            data=RuleData(name=key, script_id=script.pk, source="inbound_calls", percent="5"),
        )
        w[key.replace("script", "survey")] = survey_create(
            actor="test",
            version=version,
            data=SurveyData(channel="third_party", org_id=org.pk, number="13900000001"),
        )
    return w


world = denial_world(_build)

VIEW, EDIT, EXPORT = "surveys.script.view", "surveys.script.edit", "surveys.script.export"
S_VIEW, SEND, IMPORT, STATS = (
    "surveys.survey.view",
    "surveys.survey.send",
    "surveys.survey.import",
    "surveys.stats.view",
)
OUT = {"script": "other_script"}
V = "/api/surveys/scripts/{script}/versions/1"


def _draft_body(w):
    return {
        "definition": {"title": "回访", "questions": [{"id": "q", "type": "five_level", "text": "满意吗？"}]}
    }


API = [
    door("get", "/api/surveys/scripts", VIEW),
    door("post", "/api/surveys/scripts", EDIT, body={"code": "NEW", "name": "新脚本", "org": "GZ"}),
    door("get", "/api/surveys/scripts/{script}", VIEW, outside=OUT),
    door("put", "/api/surveys/scripts/{script}", EDIT, body={"name": "改名", "active": True}, outside=OUT),
    door("put", "/api/surveys/scripts/{script}/draft", EDIT, body=_draft_body, outside=OUT),
    door(
        "post",
        "/api/surveys/scripts/{script}/publish",
        EDIT,
        outside=OUT,
        prepare=lambda w, a: {
            "_": __import__("kefu.surveys.services.scripts", fromlist=["x"]).script_draft_save(
                actor="test", script=w["script"], definition=_draft_body(w)["definition"]
            )
        },
    ),
    door("get", V, VIEW, outside=OUT),
    door("get", V + "/handoff", EXPORT, outside=OUT),
    door("post", V + "/sample", SEND, body={"numbers": ["13900000001"]}, outside=OUT, status=(201,)),
    door(
        "post", V + "/results", IMPORT, body={"format": "csv", "content": "token,overall\nx,5\n"}, outside=OUT
    ),
    door("get", "/api/surveys/surveys", S_VIEW),
    door("get", "/api/surveys/surveys/{survey}", S_VIEW, outside={"survey": "other_survey"}),
    door(
        "post",
        "/api/surveys/surveys/{survey}/answers",
        SEND,
        body={"answers": {"overall": 4}},
        outside={"survey": "other_survey"},
    ),
    door("get", "/api/surveys/satisfaction", STATS, body={"group_by": "org"}),
    door("get", "/api/surveys/rules", VIEW),
    door(
        "post",
        "/api/surveys/rules",
        SEND,
        body={"name": "5%", "script": "{script}", "source": "inbound_calls", "percent": "5"},
        outside={"script": "other_script"},
    ),
    door(
        "put",
        "/api/surveys/rules/{rule}/active",
        SEND,
        body={"active": False},
        outside={"rule": "other_rule"},
    ),
    door(
        "post",
        "/api/surveys/rules/{rule}/draws",
        SEND,
        body={"day": "2026-05-01"},
        outside={"rule": "other_rule"},
        status=(201,),
    ),
]

P = "/surveys/scripts/{script}/versions/1"

UI = [
    door("get", "/surveys/", S_VIEW),
    door("get", "/surveys/{survey}/", S_VIEW, outside={"survey": "other_survey"}),
    door("get", "/surveys/scripts/", VIEW),
    door("get", "/surveys/scripts/new/", EDIT),
    door("get", "/surveys/scripts/{script}/", VIEW, outside=OUT),
    door(
        "post",
        "/surveys/scripts/{script}/draft/",
        EDIT,
        outside=OUT,
        status=(302,),
        body={
            "definition": '{"title": "回访", "questions": [{"id": "q", "type": "yes_no", "text": "好吗？"}]}'
        },
    ),
    door(
        "post",
        "/surveys/scripts/{script}/publish/",
        EDIT,
        outside=OUT,
        status=(302,),
        prepare=lambda w, a: {
            "_": __import__("kefu.surveys.services.scripts", fromlist=["x"]).script_draft_save(
                actor="test", script=w["script"], definition=_draft_body(w)["definition"]
            )
        },
    ),
    door("get", P + "/", VIEW, outside=OUT),
    door("get", P + "/print/", VIEW, outside=OUT),
    door("get", P + "/handoff.json", EXPORT, outside=OUT),
    door("get", P + "/sample.csv", EXPORT, outside=OUT),
    door("get", P + "/results.csv", EXPORT, outside=OUT),
    door(
        "post",
        P + "/sample/",
        SEND,
        outside=OUT,
        status=(302,),
        body={"numbers": "13900000001", "channel": "third_party"},
    ),
    door("post", P + "/results/", IMPORT, outside=OUT, status=(302,), body=lambda w: {"file": _upload()}),
    door("get", "/surveys/satisfaction/", STATS, body={"group_by": "team"}),
    door("get", "/surveys/rules/", VIEW),
    door("post", "/surveys/rules/{rule}/toggle/", SEND, outside={"rule": "other_rule"}, status=(302,)),
    door(
        "post",
        "/surveys/rules/{rule}/draw/",
        SEND,
        body={"day": "2026-05-01"},
        outside={"rule": "other_rule"},
        status=(302,),
    ),
]


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("results.csv", b"token,overall\nnope,5\n", content_type="text/csv")


DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
