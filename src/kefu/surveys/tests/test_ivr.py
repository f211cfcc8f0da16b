"""The post-call survey node of the IVR: the caller's keys become the answers of a published script."""

import pytest

from kefu.contactcenter.services.contacts import contact_arrive
from kefu.ivr import flow as flowdef
from kefu.ivr.services.flows import flow_create, flow_publish
from kefu.ivr.services.runtime import ivr_input, ivr_start, ivr_timeout
from kefu.surveys import keys
from kefu.surveys import script as pure
from kefu.surveys.models import Survey

from .conftest import make_script

FLOW = {
    "start": "ask",
    "nodes": [
        {
            "id": "ask",
            "type": "survey",
            "script": "CSAT",
            "text": "请对本次服务评价。",
            "thanks": "感谢您的评价！",
            "timeout": 8,
            "max_retries": 3,
            "next": "bye",
        },
        {"id": "bye", "type": "hangup", "text": "再见"},
    ],
}


@pytest.fixture
def survey_line(city):
    from kefu.crm.tests.factories import make_customer

    make_customer(org=city, number="13900000001")
    make_script(city)
    flow = flow_create(actor="test", hotline="10088", name="满意度回访", definition=FLOW)
    flow_publish(actor="test", flow=flow, definition=FLOW)


def _said(commands):
    return " ".join(c["text"] for c in commands if c["type"] == "play")


def test_a_caller_answers_with_keys_and_the_branches_follow(survey_line, city):
    assert not flowdef.problems_of(FLOW)
    contact = contact_arrive(caller="13900000001", called="10088", external_id="sim-s1")
    first = ivr_start(contact=contact)
    assert "请对本次服务评价" in _said(first) and "您对我们的服务满意吗" in _said(first)
    assert first[-1]["type"] == "collect" and first[-1]["max_digits"] == 1
    again = ivr_input(contact=contact, digits="9")  # a wrong key: asked again
    assert again[-1]["type"] == "collect" and "您对我们的服务满意吗" in _said(again)
    ivr_input(contact=contact, digits="5")  # very dissatisfied → "why" (free text) is skipped on the phone
    ivr_input(contact=contact, digits="2")  # solved? no
    last = ivr_input(contact=contact, digits="7#")  # recommend 7
    assert "感谢您的评价" in _said(last) and last[-1]["type"] == "hangup"
    survey = Survey.objects.get()
    assert (survey.channel, survey.state, survey.satisfaction, survey.org_id) == (
        "ivr",
        "complete",
        1,
        city.pk,
    )
    assert survey.answers == {"overall": 1, "why": None, "solved": "no", "recommend": 7}


def test_silence_gives_up_the_survey_not_the_call(survey_line):
    contact = contact_arrive(caller="13900000001", called="10088", external_id="sim-s2")
    ivr_start(contact=contact)
    for _ in range(2):
        ivr_timeout(contact=contact)
    last = ivr_timeout(contact=contact)
    assert last[-1]["type"] == "hangup" and Survey.objects.get().state == "pending"


def test_keys_map_to_answers():
    s = pure.parse(
        pure.example()
        | {
            "satisfaction": None,
            "questions": [
                {
                    "id": "m",
                    "type": "multiple",
                    "text": "?",
                    "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
                }
            ],
        }
    )
    m = s.first
    assert keys.answer_of(m, "21#") == ["b", "a"] and keys.answer_of(m, "3#") is None
    five = pure.parse(pure.example()).first
    assert [keys.answer_of(five, d) for d in "123450"] == ["5", "4", "3", "2", "1", None]
