"""The API end to end: a form, a pick, a score, the agent's dispute, the decision, an improvement action."""

from datetime import timedelta

from kefu.core import clock
from kefu.quality.reports import qa_score_summary

from .conftest import api_for
from .factories import ITEMS

PERIOD = {"since": "2020-01-01T00:00:00+08:00", "until": "2999-01-01T00:00:00+08:00"}


def test_an_inspector_scores_an_agent_who_disputes_and_a_supervisor_revises(qa):
    inspector, agent, supervisor = api_for(qa.inspector), api_for(qa.agent), api_for(qa.supervisor)
    r = inspector.post(
        "/api/quality/forms",
        {"name": "广州热线表", "org_id": qa.gz.pk, "queue_code": qa.queue.code, "items": ITEMS},
    )
    assert r.status_code == 201, r.content
    form = r.json()
    r = inspector.post("/api/quality/picks", {"source": "long_call", "min_talk_seconds": 600, **PERIOD})
    assert r.status_code == 201 and len(r.json()["created"]) == 2, r.content
    inspection_id = r.json()["created"][0]
    detail = inspector.get(f"/api/quality/inspections/{inspection_id}").json()
    assert detail["form"] == "广州热线表" and detail["form_version"] == form["version"]  # the queue's form

    r = inspector.post(
        f"/api/quality/inspections/{inspection_id}/score", {"points": {"greeting": 11, "solution": 1}}
    )
    assert r.status_code == 400 and "points.greeting" in r.json()["details"], r.content
    r = inspector.post(
        f"/api/quality/inspections/{inspection_id}/score",
        {
            "points": {"greeting": 10, "solution": 10},
            "item_comments": {"solution": "未核实账单"},
            "comment": "基本规范",
        },
    )
    assert r.status_code == 200 and r.json()["score"] == 62.5, r.content

    mine = agent.get("/api/quality/mine").json()
    owner = detail["agent_id"] == qa.agent.pk
    target = agent if owner else api_for(qa.agent2)
    assert (len(mine["items"]) == 1) == owner
    r = target.post(f"/api/quality/mine/{inspection_id}/dispute", {"reason": "客户要求查询的是上月账单"})
    assert r.status_code == 200 and r.json()["state"] == "disputed", r.content
    r = target.post(f"/api/quality/mine/{inspection_id}/dispute", {"reason": "再次"})
    assert r.status_code == 409 and r.json()["code"] == "dispute_not_allowed"

    r = supervisor.post(
        f"/api/quality/inspections/{inspection_id}/decision", {"decision": "revised", "score": 85}
    )
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = supervisor.post(
        f"/api/quality/inspections/{inspection_id}/decision",
        {"decision": "revised", "score": "85", "note": "听录音后改分"},
    )
    assert r.status_code == 200 and (r.json()["score"], r.json()["original_score"]) == (85.0, 62.5)

    due = (clock.now().date() + timedelta(days=5)).isoformat()
    r = inspector.post(
        "/api/quality/improvements",
        {"title": "账单查询流程培训", "due_on": due, "inspection_id": inspection_id},
    )
    assert r.status_code == 201, r.content
    action = r.json()
    r = target.post(f"/api/quality/mine/improvements/{action['id']}/done", {"note": "已培训"})
    assert r.status_code == 200 and r.json()["state"] == "done"

    rows = inspector.get(
        "/api/quality/report", {"start": PERIOD["since"], "end": PERIOD["until"], "group_by": "team"}
    ).json()
    assert rows == [
        {
            "key": str(qa.team.pk),
            "label": "广州一班",
            "count": 1,
            "average": 85.0,
            "fatal": 0,
            "fatal_rate": 0.0,
            "disputed": 1,
            "disputed_rate": 100.0,
        }
    ]
    summary = qa_score_summary(
        scope=qa.gz, start=clock.now() - timedelta(days=1), end=clock.now() + timedelta(days=1)
    )
    assert (summary[0]["average"], summary[0]["count"], summary[0]["fatal"]) == (85.0, 1, 0)


def test_an_agent_never_sees_an_inspection_not_yet_scored_nor_the_inspectors_list(qa):
    r = api_for(qa.inspector).post("/api/quality/inspections", {"contact_id": qa.contacts[0].pk})
    assert r.status_code == 201
    agent = api_for(qa.agent)
    assert agent.get(f"/api/quality/mine/{r.json()['id']}").status_code == 404
    assert agent.get("/api/quality/inspections").status_code == 403


def test_bad_input_is_a_clear_400(qa):
    inspector = api_for(qa.inspector)
    r = inspector.post(
        "/api/quality/forms",
        {"name": "x", "org_id": qa.gz.pk, "items": [{"key": "a", "label": "A", "fatal": True}]},
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_items"
    r = inspector.post(
        "/api/quality/picks", {"source": "random", "since": PERIOD["until"], "until": PERIOD["since"]}
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_period"
    r = inspector.get("/api/quality/report", {"start": PERIOD["until"], "end": PERIOD["since"]})
    assert r.status_code == 400 and r.json()["code"] == "invalid_period"
