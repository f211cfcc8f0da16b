"""The surveys API end to end: a script is written, published, put to customers, answered, handed off and
counted; bad input answers {"code", "message"} with the right status."""

from kefu.crm.tests.factories import make_customer
from kefu.surveys import script as pure


def test_a_script_goes_from_draft_to_answers_and_statistics(admin_api, city):
    make_customer(org=city, number="13900000001")
    r = admin_api.post("/api/surveys/scripts", {"code": "CSAT", "name": "回访", "org": "GZ"})
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["draft"] == 1 and r.json()["published"] is None
    bad = admin_api.put(
        f"/api/surveys/scripts/{sid}/draft",
        {
            "definition": {
                "title": "x",
                "questions": [{"id": "a", "type": "single", "text": "?", "options": []}],
            }
        },
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_script"
    assert any("a" in p for p in bad.json()["details"]["problems"])
    assert admin_api.post(f"/api/surveys/scripts/{sid}/publish").json()["state"] == "published"
    assert admin_api.post(f"/api/surveys/scripts/{sid}/publish").status_code == 409
    sample = admin_api.post(
        f"/api/surveys/scripts/{sid}/versions/1/sample",
        {"numbers": ["13900000001", "13999999999"], "channel": "call"},
    )
    assert sample.status_code == 201 and sample.json()["unknown"] == ["13999999999"]
    assert sample.json()["links"][0].startswith("/surveys/q/")
    survey = admin_api.get("/api/surveys/surveys").json()["items"][0]
    bad = admin_api.post(f"/api/surveys/surveys/{survey['id']}/answers", {"answers": {"overall": 8}})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_answer"
    done = admin_api.post(
        f"/api/surveys/surveys/{survey['id']}/answers",
        {"answers": {"overall": 4, "solved": "yes", "recommend": 10}},
    ).json()
    assert (done["state"], done["satisfaction"]) == ("complete", 4)
    stats = admin_api.get("/api/surveys/satisfaction", {"group_by": "org", "source": "surveys"}).json()
    assert stats == [
        {
            "key": str(city.pk),
            "label": "广州分公司",
            "total": 1,
            "satisfied": 1,
            "rate": 100.0,
            "counts": {"5": 0, "4": 1, "3": 0, "2": 0, "1": 0},
        }
    ]
    assert (
        admin_api.get(
            "/api/surveys/satisfaction", {"start": "2026-05-02T00:00:00Z", "end": "2026-05-01T00:00:00Z"}
        ).status_code
        == 400
    )


def test_hand_off_and_results_through_the_api(admin_api, city):
    make_customer(org=city, number="13900000001")
    sid = admin_api.post(
        "/api/surveys/scripts", {"code": "T", "name": "T", "org": "GZ", "definition": pure.example()}
    ).json()["id"]
    assert admin_api.get(f"/api/surveys/scripts/{sid}/versions/1/handoff").status_code == 400  # a draft
    admin_api.post(f"/api/surveys/scripts/{sid}/publish")
    admin_api.post(f"/api/surveys/scripts/{sid}/versions/1/sample", {"numbers": ["13900000001"]})
    handoff = admin_api.get(f"/api/surveys/scripts/{sid}/versions/1/handoff").json()
    token = handoff["sample"][0]["token"]
    report = admin_api.post(
        f"/api/surveys/scripts/{sid}/versions/1/results",
        {"format": "csv", "content": f"token,overall,solved,recommend,extra\n{token},5,yes,9,x\n"},
    ).json()
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "extra")] and report["errors"][0][
        "message"
    ]
    report = admin_api.post(
        f"/api/surveys/scripts/{sid}/versions/1/results",
        {"format": "csv", "content": f"token,overall,solved,recommend\n{token},5,yes,9\n"},
    ).json()
    assert (report["imported"], report["rejected"]) == (1, 0)
    assert admin_api.get(f"/api/surveys/scripts/{sid}/versions/1/handoff").json()["sample"] == []
    assert admin_api.get(f"/api/surveys/scripts/{sid}/versions/9").status_code == 404
