"""The survey pages: the draft editor's errors, publishing, hand-off downloads, the statistics page and its
CSV, and the customer's questionnaire by signed link (public; an altered link is a 404)."""

from kefu.core.testing import client_for, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.surveys.services.surveys import SurveyData, survey_create, survey_link

from .conftest import make_script

ALL = [
    "surveys.script.view",
    "surveys.script.edit",
    "surveys.script.export",
    "surveys.survey.view",
    "surveys.survey.send",
    "surveys.survey.import",
    "surveys.stats.view",
]


def test_the_draft_editor_shows_problems_and_publishing_makes_a_version(city):
    c = client_for(make_staff(org=city, perms=ALL))
    script, _v1 = make_script(city, publish=False)
    r = c.post(f"/surveys/scripts/{script.pk}/draft/", {"definition": '{"title": "x", "questions": [1]}'})
    assert r.status_code == 400 and "第 1 题" in r.content.decode()
    r = c.post(f"/surveys/scripts/{script.pk}/draft/", {"definition": "{not json"})
    assert r.status_code == 400
    r = c.post(f"/surveys/scripts/{script.pk}/publish/", follow=True)
    assert r.redirect_chain[-1][0] == f"/surveys/scripts/{script.pk}/versions/1/"
    page = c.get(f"/surveys/scripts/{script.pk}/versions/1/print/").content.decode()
    assert "overall" in page and "print.css" in page


def test_hand_off_downloads_and_results_upload(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(make_staff(org=city, perms=ALL))
    make_customer(org=city, number="13900000001")
    script, _v = make_script(city)
    base = f"/surveys/scripts/{script.pk}/versions/1"
    c.post(base + "/sample/", {"numbers": "13900000001\n13999999999", "channel": "third_party"})
    sample = c.get(base + "/sample.csv").content.decode("utf-8-sig").splitlines()
    assert sample[0].startswith("token,number") and len(sample) == 2
    token = sample[1].split(",")[0]
    upload = SimpleUploadedFile("r.csv", f"token,overall,solved,recommend\n{token},9,yes,1\n".encode())
    r = c.post(base + "/results/", {"file": upload}, follow=True)
    assert 'data-testid="import-error"' in r.content.decode()
    assert c.get(base + "/handoff.json").json()["script"]["code"] == "CSAT"


def test_the_statistics_page_and_its_csv(city):
    c = client_for(make_staff(org=city, perms=ALL))
    _script, version = make_script(city)
    from kefu.surveys.services.surveys import survey_answer

    s = survey_create(actor="test", version=version, data=SurveyData(channel="web", org_id=city.pk))
    survey_answer(actor="test", survey=s, answers={"overall": 3})
    page = c.get("/surveys/satisfaction/", {"group_by": "org"})
    assert page.status_code == 200 and 'data-testid="stats-row"' in page.content.decode()
    csv_text = c.get("/surveys/satisfaction/", {"group_by": "org", "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[1].startswith("广州分公司,0,0,1,0,0,1,0.0")
    assert c.get("/surveys/satisfaction/", {"start": "bad"}).status_code == 200


def test_the_customer_answers_by_the_signed_link_without_login(client, city):
    _script, version = make_script(city)
    survey = survey_create(actor="test", version=version, data=SurveyData(channel="sms", org_id=city.pk))
    link = survey_link(survey)
    assert client.get(link).status_code == 200
    assert client.post(link, {}).status_code == 400  # required
    assert client.post(link, {"answer": "1"}).status_code == 302
    client.post(link, {"answer": ""})  # "why" is optional
    client.post(link, {"answer": "no"})
    client.post(link, {"answer": "3"})
    survey.refresh_from_db()
    assert survey.state == "complete" and survey.satisfaction == 1 and survey.answers["why"] is None
    assert 'data-testid="survey-done"' in client.get(link).content.decode()
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_sampling_rules_are_made_on_their_page_and_a_viewer_cannot(city):
    script, _v = make_script(city)
    viewer = client_for(make_staff(org=city, perms=["surveys.script.view"]))
    data = {
        "name": "每日5%",
        "script": str(script.pk),
        "source": "inbound_calls",
        "percent": "5",
        "channel": "sms",
        "exclude_days": "30",
    }
    assert viewer.post("/surveys/rules/", data).status_code == 403
    c = client_for(make_staff(org=city, perms=ALL))
    assert c.post("/surveys/rules/", dict(data, percent="0")).status_code == 400
    assert c.post("/surveys/rules/", data).status_code == 302
    page = c.get("/surveys/rules/").content.decode()
    assert "每日5%" in page and 'data-testid="rule-row"' in page
