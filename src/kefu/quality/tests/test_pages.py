"""The pages: an inspector picks and scores, the agent disputes on "my quality", a supervisor decides."""

from datetime import timedelta

from kefu.core import clock
from kefu.core.testing import client_for
from kefu.quality.models import Inspection


def test_pick_score_dispute_decide_through_the_pages(qa):
    inspector, agent, supervisor = client_for(qa.inspector), client_for(qa.agent), client_for(qa.supervisor)
    assert "pick-form" in inspector.get("/quality/").content.decode()
    r = inspector.post("/quality/pick/contact/", {"contact": qa.contacts[0].pk})
    i = Inspection.objects.get(contact=qa.contacts[0])
    assert r.status_code == 302 and r["Location"] == f"/quality/inspections/{i.pk}/"
    page = inspector.get(r["Location"]).content.decode()
    assert 'name="points_greeting"' in page and 'name="fatal_rude"' in page
    inspector.post(
        f"/quality/inspections/{i.pk}/score/",
        {"points_greeting": "10", "points_solution": "10", "comment_solution": "未核实"},
    )
    i.refresh_from_db()
    assert float(i.score) == 62.5 and i.item_comments == {"solution": "未核实"}

    assert "62.5" in agent.get("/quality/mine/").content.decode()
    agent.post(f"/quality/mine/{i.pk}/dispute/", {"reason": "客户问的是上月"})
    assert client_for(qa.agent2).get(f"/quality/mine/{i.pk}/").status_code == 404
    page = supervisor.get(f"/quality/inspections/{i.pk}/").content.decode()
    assert "decision-form" in page and "客户问的是上月" in page
    supervisor.post(
        f"/quality/inspections/{i.pk}/decide/", {"decision": "revised", "score": "80", "note": "改"}
    )
    i.refresh_from_db()
    assert (i.state, float(i.score)) == ("decided", 80.0)

    due = (clock.now().date() + timedelta(days=3)).isoformat()
    inspector.post(f"/quality/inspections/{i.pk}/improvements/", {"title": "复习账单查询", "due_on": due})
    assert "复习账单查询" in agent.get("/quality/mine/").content.decode()


def test_a_form_is_created_and_a_new_version_published_from_the_pages(qa):
    inspector = client_for(qa.inspector)
    r = inspector.post(
        "/quality/forms/new/",
        {
            "name": "投诉表",
            "org": qa.gz.pk,
            "order_kind": "complaint",
            "items": "tone | 语气 | 10 | 2\nabuse | 辱骂 | fatal",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r2 = inspector.post(r["Location"] + "publish/", {"items": "tone | 语气 | 5 | 1"})
    assert r2.status_code == 302
    assert "v2" in inspector.get(r["Location"]).content.decode()
    bad = inspector.post("/quality/forms/new/", {"name": "坏表", "org": qa.gz.pk, "items": "tone | 语气"})
    assert bad.status_code == 400
