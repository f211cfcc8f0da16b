"""Every campaigns door denies the anonymous and the unpermitted caller (see core/testing.py), and a campaign
of another branch answers like one that does not exist."""

from datetime import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.campaigns.models import Campaign, CampaignState, DoNotCall, Target, TargetImport
from kefu.contactcenter.models import Queue
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params


def _campaign(org, queue, name, state=CampaignState.DRAFT) -> Campaign:
    c = Campaign.objects.create(name=name, kind="retention", org=org, queue=queue, state=state,
                                outcomes=["reached", "success"], hours_start=time(0, 0), hours_end=time(0, 0))
    Target.objects.create(campaign=c, number="13900000002")
    return c


def _build():
    w = denial_orgs()
    queue = Queue.objects.create(code="OUT", name="外呼队列", org=w["city"])
    other_queue = Queue.objects.create(code="OUT2", name="深圳外呼", org=w["other_city"])
    w["queue"] = queue
    w["campaign"] = _campaign(w["city"], queue, "广州挽留")
    w["running"] = _campaign(w["city"], queue, "进行中", CampaignState.RUNNING)
    w["other_campaign"] = _campaign(w["other_city"], other_queue, "深圳挽留")
    w["target"] = Target.objects.filter(campaign=w["campaign"]).first()
    from kefu.core.testing import make_staff

    owner = make_staff(org=w["city"], employee_no="OWN")
    imp = TargetImport.objects.create(campaign=w["campaign"], owner=owner, state="done", filename="a.csv")
    imp.report.save("r.csv", ContentFile(b"row,number\n1,bad\n"))
    other_imp = TargetImport.objects.create(campaign=w["other_campaign"], owner=owner, state="done")
    other_imp.report.save("r2.csv", ContentFile(b"row,number\n1,bad\n"))
    w["import"], w["other_import"] = imp, other_imp
    w["dnc"] = DoNotCall.objects.create(number="13800000001")
    return w


world = denial_world(_build)

VIEW, EDIT, RUN, RESULTS = ("campaigns.campaign.view", "campaigns.campaign.edit", "campaigns.campaign.run",
                            "campaigns.result.view")
D_VIEW, D_EDIT = "campaigns.dnc.view", "campaigns.dnc.edit"
C = {"campaign": "other_campaign"}
BODY = {"name": "新活动", "kind": "survey", "queue_id": "{queue}", "hours_start": "08:00", "hours_end": "20:00"}


def _csv(_w):
    return {"file": SimpleUploadedFile("t.csv", b"13900000003\n", content_type="text/csv")}


def _form(w):
    return {"name": "新活动", "kind": "survey", "queue_id": w["queue"].pk, "outcomes": ["reached"], "pacing": 2,
            "max_attempts": 2, "retry_minutes": 5, "recent_days": 0, "hours_start": "08:00", "hours_end": "20:00",
            "sample_percent": 100, "script": "[]"}


API = [
    door("get", "/api/campaigns/campaigns", VIEW),
    door("post", "/api/campaigns/campaigns", EDIT, body=BODY, status=(201,)),
    door("get", "/api/campaigns/campaigns/{campaign}", VIEW, outside=C),
    door("put", "/api/campaigns/campaigns/{campaign}", EDIT, body=BODY, outside=C),
    door("post", "/api/campaigns/campaigns/{campaign}/start", RUN, outside=C),
    door("post", "/api/campaigns/campaigns/{running}/pause", RUN, outside={"running": "other_campaign"}),
    door("post", "/api/campaigns/campaigns/{campaign}/stop", RUN, outside=C),
    door("post", "/api/campaigns/campaigns/{campaign}/imports", EDIT, body=_csv, multipart=True, outside=C,
         status=(202,)),
    door("post", "/api/campaigns/campaigns/{campaign}/imports/query", EDIT, "crm.customer.view",
         body={"tier": "vip"}, outside=C, status=(202,)),
    door("get", "/api/campaigns/imports/{import}", VIEW, outside={"import": "other_import"}),
    door("get", "/api/campaigns/imports/{import}/report", VIEW, outside={"import": "other_import"}),
    door("get", "/api/campaigns/campaigns/{campaign}/targets", VIEW, outside=C),
    door("get", "/api/campaigns/campaigns/{campaign}/targets/{target}", VIEW, outside=C),
    door("get", "/api/campaigns/campaigns/{campaign}/dashboard", VIEW, RESULTS, outside=C),
    door("get", "/api/campaigns/campaigns/{campaign}/results.csv", VIEW, RESULTS, outside=C),
    door("get", "/api/campaigns/dnc", D_VIEW),
    door("post", "/api/campaigns/dnc", D_EDIT, body={"number": "13800000002"}, status=(201,)),
    door("post", "/api/campaigns/dnc/import", D_EDIT, body=_csv, multipart=True),
    door("delete", "/api/campaigns/dnc/{dnc}", D_EDIT, status=(204,)),
]

UI = [
    door("get", "/campaigns/", VIEW),
    door("get", "/campaigns/new/", EDIT),
    door("post", "/campaigns/new/", EDIT, body=_form, status=(302,)),
    door("get", "/campaigns/{campaign}/", VIEW, outside=C),
    door("get", "/campaigns/{campaign}/edit/", EDIT, outside=C),
    door("get", "/campaigns/{campaign}/import/", EDIT, outside=C),
    door("post", "/campaigns/{campaign}/import/", EDIT, body=_csv, outside=C, status=(302,)),
    door("get", "/campaigns/{campaign}/dashboard/", VIEW, RESULTS, outside=C),
    door("get", "/campaigns/{campaign}/results.csv", VIEW, RESULTS, outside=C),
    door("post", "/campaigns/{campaign}/start/", RUN, outside=C, status=(302,)),
    door("get", "/campaigns/imports/{import}/", VIEW, outside={"import": "other_import"}),
    door("get", "/campaigns/imports/{import}/report/", VIEW, outside={"import": "other_import"}),
    door("get", "/campaigns/dnc/", D_VIEW),
    door("post", "/campaigns/dnc/{dnc}/remove/", D_EDIT, status=(302,)),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
