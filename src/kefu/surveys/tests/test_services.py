"""Scripts are versioned like process templates; surveys answer through one write path; hand-off files
round-trip with a row-by-row report; the statistics add work-order replies and surveys."""

import json
from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed
from kefu.core.testing import make_staff
from kefu.crm.tests.factories import make_customer
from kefu.surveys import stats
from kefu.surveys.models import Survey, SurveyChannel
from kefu.surveys.services import handoff
from kefu.surveys.services.scripts import script_draft_save, script_publish
from kefu.surveys.services.surveys import (
    SurveyData,
    survey_answer,
    survey_by_link,
    survey_create,
    survey_link,
)

from .conftest import make_script


def test_a_published_version_never_changes_and_editing_opens_the_next_draft(city):
    script, v1 = make_script(city)
    with pytest.raises(Conflict):
        script_publish(actor="test", script=script)  # nothing to publish
    d = dict(v1.definition, title="新标题")
    v2 = script_draft_save(actor="test", script=script, definition=d)
    assert (v2.number, v2.state) == (2, "draft")
    v1.refresh_from_db()
    assert v1.definition["title"] != "新标题" and v1.state == "published"
    with pytest.raises(ValidationFailed) as exc:
        script_draft_save(actor="test", script=script, definition={"title": "x", "questions": []})
    assert exc.value.code == "invalid_script"
    assert script_draft_save(actor="test", script=script, definition=d).pk == v2.pk  # the same draft
    assert AuditEntry.objects.filter(object_type="surveys.scriptversion").count() >= 3


def test_answers_follow_the_branches_and_the_survey_keeps_its_version(city):
    _script, version = make_script(city)
    survey = survey_create(actor="test", version=version, data=SurveyData(channel="web", org_id=city.pk))
    survey = survey_answer(actor="test", survey=survey, answers={"overall": "2"})
    assert (survey.state, survey.satisfaction) == ("partial", 2)
    survey = survey_answer(
        actor="test", survey=survey, answers={"why": "太慢", "solved": "no", "recommend": 3}
    )
    assert survey.state == "complete" and survey.answers["why"] == "太慢"
    with pytest.raises(Conflict):
        survey_answer(actor="test", survey=survey, answers={"overall": 5})
    other = survey_create(actor="test", version=version, data=SurveyData(channel="web", org_id=city.pk))
    with pytest.raises(ValidationFailed) as exc:
        survey_answer(actor="test", survey=other, answers={"overall": "9"})
    assert exc.value.details == {"question": "overall"}


def test_a_signed_link_finds_its_survey_and_an_altered_one_does_not(city):
    _script, version = make_script(city)
    survey = survey_create(actor="test", version=version, data=SurveyData(channel="sms", org_id=city.pk))
    signed = survey_link(survey).rstrip("/").rsplit("/", 1)[-1]
    assert survey_by_link(signed) == survey
    assert survey_by_link(signed[:-2] + "xx") is None
    assert survey_by_link(survey.token) is None


def test_the_hand_off_round_trip_reports_every_bad_row(city, other_city):
    _script, version = make_script(city)
    staff = make_staff(org=city, perms=["surveys.survey.send"])
    numbers = ["13900000001", "13900000002", "13900000003"]
    for n in numbers:
        make_customer(org=city, number=n)
    make_customer(org=other_city, number="13900000009")
    result = handoff.sample_create(actor=staff, version=version, numbers=[*numbers, "13900000009"])
    assert len(result.created) == 3 and result.unknown == ["13900000009"]  # another branch's: unknown
    exported = handoff.export_json(actor=staff, version=version)
    assert exported["format"] == "kefu-survey/1" and len(exported["sample"]) == 3
    t1, t2, t3 = (r["token"] for r in exported["sample"])
    csv_text = "token,answered_at,overall,why,solved,recommend\n" + "\n".join(
        [
            f"{t1},2026-05-01T10:00:00+08:00,5,,yes,9",
            f"{t2},,1,太慢,no,",  # recommend missing on the path
            f"{t3},yesterday,4,,yes,8",  # bad date
            "nope,,5,,yes,9",  # unknown token
            f"{t1},,5,,yes,9",  # twice
        ]
    )
    report = handoff.results_import(actor=staff, version=version, content=csv_text)
    assert report.imported == 1
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "recommend"),
        (4, "answered_at"),
        (5, "token"),
        (6, "token"),
    ]
    done = Survey.objects.get(token=t1)
    assert done.satisfaction == 5 and done.answered_at.isoformat().startswith("2026-05-01T02:00")
    payload = json.dumps(
        {"results": [{"token": t3, "answers": {"overall": 4, "solved": "yes", "recommend": 8}}]}
    )
    assert handoff.results_import(actor=staff, version=version, content=payload, kind="json").imported == 1
    assert handoff.results_template_csv(version).startswith("token,answered_at,overall")


def test_the_satisfaction_rate_adds_work_order_replies_and_surveys(city, other_city, province):
    _script, version = make_script(city)
    agent = make_staff(org=city, name="李工")
    for level, org in ((5, city), (4, city), (2, city), (5, other_city)):
        s = survey_create(
            actor="test",
            version=version,
            data=SurveyData(channel=SurveyChannel.CALL, org_id=org.pk, queue="GEN", agent_id=agent.pk),
        )
        survey_answer(actor="test", survey=s, answers={"overall": level})
    viewer = make_staff(org=city, perms=["surveys.stats.view"])
    now = clock.now()
    groups = stats.satisfaction_counts(
        actor=viewer, start=now - timedelta(days=1), end=now + timedelta(hours=1)
    )
    assert len(groups) == 1 and (groups[0].total, groups[0].satisfied, groups[0].rate) == (3, 2, 66.7)
    by_queue = stats.satisfaction_counts(
        actor=viewer, start=now - timedelta(days=1), end=now + timedelta(hours=1), group_by="queue"
    )
    assert [(g.label, g.total) for g in by_queue] == [("GEN", 3)]
    by_agent = stats.satisfaction_counts(
        actor=viewer, start=now - timedelta(days=1), end=now + timedelta(hours=1), group_by="agent"
    )
    assert by_agent[0].label == "李工" and by_agent[0].counts[2] == 1
