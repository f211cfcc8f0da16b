"""The campaigns API end to end: create (idempotent), import with report, start/pause/stop, targets,
dashboard, export, do-not-call; bad input gets clear 4xx."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.campaigns.models import Campaign
from kefu.campaigns.services.imports import imports_pending
from kefu.core.testing import JsonClient, client_for

API = "/api/campaigns"


def body(w, **kw):
    return {"name": "五月挽留", "kind": "retention", "queue_id": w.queue.pk,
            "script": [{"text": "您好", "question": "是否继续使用？"}], "pacing": 2, "hours_start": "00:00",
            "hours_end": "00:00", **kw}


def test_create_is_idempotent_by_key(world):
    api = JsonClient(client_for(world.manager))
    r = api.post(f"{API}/campaigns", body(world), headers={"Idempotency-Key": "k1"})
    assert r.status_code == 201, r.content
    again = api.post(f"{API}/campaigns", body(world), headers={"Idempotency-Key": "k1"})
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    other = api.post(f"{API}/campaigns", body(world, name="别的"), headers={"Idempotency-Key": "k1"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    assert Campaign.objects.count() == 1


def test_bad_input_is_refused_with_a_clear_message(world):
    api = JsonClient(client_for(world.manager))
    r = api.post(f"{API}/campaigns", body(world, pacing=0))
    assert r.status_code in (400, 422)
    r = api.post(f"{API}/campaigns", body(world, queue_id=999999))
    assert r.status_code == 400 and r.json()["code"] == "invalid_campaign" and "queue_id" in r.json()["details"]
    r = api.post(f"{API}/campaigns", body(world, script=[{"text": "", "question": ""}]))
    assert r.status_code == 400 and "script" in r.json()["details"]
    assert Campaign.objects.count() == 0


def test_the_main_path_over_the_api(world):
    api = JsonClient(client_for(world.manager))
    cid = api.post(f"{API}/campaigns", body(world)).json()["id"]
    assert api.post(f"{API}/campaigns/{cid}/start").json()["code"] == "no_targets"
    upload = SimpleUploadedFile("t.csv", "号码,姓名\n13900000002,刘挽留\nbad,坏\n".encode())
    r = client_for(world.manager).post(f"{API}/campaigns/{cid}/imports", {"file": upload})
    assert r.status_code == 202, r.content
    imp = r.json()
    imports_pending()
    got = api.get(f"{API}/imports/{imp['id']}").json()
    assert (got["state"], got["accepted"], got["rejected"], got["percent"]) == ("done", 1, 1, 100)
    report = client_for(world.manager).get(got["report_url"])
    assert report.status_code == 200 and "bad" in report.content.decode("utf-8-sig")
    assert api.post(f"{API}/campaigns/{cid}/start").json()["state"] == "running"
    assert api.post(f"{API}/campaigns/{cid}/pause").json()["state"] == "paused"
    r = api.put(f"{API}/campaigns/{cid}", {**body(world, pacing=4), "version": 999})
    assert r.status_code == 409
    targets = api.get(f"{API}/campaigns/{cid}/targets").json()
    assert targets["count"] == 1 and targets["items"][0]["number"] == "13900000002"
    detail = api.get(f"{API}/campaigns/{cid}/targets/{targets['items'][0]['id']}").json()
    assert detail["attempt_log"] == []
    board = api.get(f"{API}/campaigns/{cid}/dashboard").json()
    assert board["total"] == 1 and board["reach_rate"] is None
    export = client_for(world.manager).get(f"{API}/campaigns/{cid}/results.csv")
    assert export.status_code == 200 and "13900000002" in export.content.decode("utf-8-sig")
    assert api.post(f"{API}/campaigns/{cid}/stop").json()["state"] == "stopped"
    assert api.post(f"{API}/campaigns/{cid}/start").status_code == 400


def test_do_not_call_list(world):
    api = JsonClient(client_for(world.manager))
    r = api.post(f"{API}/dnc", {"number": "13800000001", "reason": "客户要求"})
    assert r.status_code == 201
    assert api.post(f"{API}/dnc", {"number": "13800000001"}).json()["code"] == "duplicate"
    assert api.post(f"{API}/dnc", {"number": "abc"}).status_code == 400
    upload = SimpleUploadedFile("d.csv", b"number\n13800000001\n13800000002\nxx\n")
    r = client_for(world.manager).post(f"{API}/dnc/import", {"file": upload})
    assert r.json() == {"added": 1, "already": 1, "invalid": 1, "invalid_rows": [4]}
    assert api.delete(f"{API}/dnc/{api.get(f'{API}/dnc').json()['items'][0]['id']}").status_code == 204


def test_campaigns_of_another_province_are_not_found(world):
    api = JsonClient(client_for(world.manager))
    cid = api.post(f"{API}/campaigns", body(world)).json()["id"]
    outsider = JsonClient(client_for(world.outsider))
    assert outsider.get(f"{API}/campaigns/{cid}").status_code == 404
    assert outsider.post(f"{API}/campaigns/{cid}/start").status_code == 404
    assert outsider.get(f"{API}/campaigns").json()["count"] == 0
