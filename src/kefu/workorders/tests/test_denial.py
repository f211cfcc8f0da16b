"""Every workorders door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py).

The Guangzhou agent created the Guangzhou order and holds it; the Shenzhen order, its attachment, a
Shenzhen customer, another person's notice and export are outside what that agent may reach.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.workorders.models import Notice, ProcessTemplate, WebhookSubscription
from kefu.workorders.services.attachments import attachment_add
from kefu.workorders.services.exports import export_request, export_run
from kefu.workorders.services.notices import notify
from kefu.workorders.services.orders import workorder_create
from kefu.workorders.services.settings import calendar_set, subscription_create
from kefu.workorders.services.templates import template_create, templates_ensure_defaults

from .conftest import AGENT_PERMS, COMPLAINT_FIELDS

VIEW, CREATE, HANDLE = "workorders.order.view", "workorders.order.create", "workorders.order.handle"
EXPORT, SUPERVISE = "workorders.order.export", "workorders.supervision.view"
T_VIEW, T_EDIT = "workorders.template.view", "workorders.template.edit"
C_VIEW, C_MANAGE = "workorders.coordination.view", "workorders.coordination.manage"


def _order(agent, customer, title="套餐资费多扣"):
    order, _created = workorder_create(actor=agent, kind="complaint", title=title, description="本月多扣50元",
                                       fields=dict(COMPLAINT_FIELDS), customer=customer)
    return order


def _build():
    from datetime import time

    w = denial_orgs()
    w["maker"] = make_org(code="HW", kind="external", external_kind="handset_maker", name="华为终端客服")
    w["agent"] = make_staff(org=w["city"], perms=[*AGENT_PERMS, EXPORT], employee_no="G001", name="李话务")
    sz_agent = make_staff(org=w["other_city"], perms=AGENT_PERMS, employee_no="S001", name="周深圳")
    w["customer"] = make_customer(org=w["city"], name="陈大客户", number="13900000001")
    w["other_customer"] = make_customer(org=w["other_city"], name="李深圳", number="13800000002")
    w["number"], w["other_number"] = "13900000001", "13800000002"
    w["city_code"], w["other_code"] = "GZ", "SZ"
    w["order"] = _order(w["agent"], w["customer"])
    w["twin"] = _order(w["agent"], w["customer"], "套餐资费多扣（重复）")
    w["other_order"] = _order(sz_agent, w["other_customer"])
    w["serial"], w["twin_serial"], w["other_serial"] = w["order"].serial, w["twin"].serial, w["other_order"].serial
    w["version"] = w["order"].version
    w["attachment"] = attachment_add(actor=w["agent"], order=w["order"], name="a.txt", data=b"hello")
    w["other_attachment"] = attachment_add(actor=sz_agent, order=w["other_order"], name="b.txt", data=b"hello")
    notify(order=w["order"], kind="info", text="请处理", people=[w["agent"], sz_agent])
    w["notice"] = Notice.objects.get(recipient=w["agent"])
    w["other_notice"] = Notice.objects.get(recipient=sz_agent)
    w["export"] = export_request(actor=w["agent"], filters={}, fmt="csv")
    export_run(export_id=w["export"].pk)
    w["other_export"] = export_request(actor=sz_agent, filters={}, fmt="csv")
    export_run(export_id=w["other_export"].pk)
    templates_ensure_defaults(actor="test")
    w["definition"] = ProcessTemplate.objects.get(kind="complaint", org=None).current_version().definition
    # The branch's own template: one serving another branch or every branch is read-only to its editor
    # (test_template_reach.py).
    w["template"] = template_create(actor="test", kind="complaint", name="广州投诉流程", org=w["city"],
                                    definition=w["definition"])
    w["webhook"] = subscription_create(actor="test", name="crm", url="https://example.invalid/h", secret="s" * 20,
                                       events=[])
    calendar_set(actor="test", org=w["city"], work_start=time(8, 30), work_end=time(17, 30), workdays="12345",
                 holidays=[], extra_workdays=[])
    assert WebhookSubscription.objects.count() == 1
    from datetime import timedelta

    from kefu.core import clock
    from kefu.workorders.models import SuggestionDigest

    end = clock.now()
    w["digest"] = SuggestionDigest.objects.create(org=w["city"], period_start=end - timedelta(days=7), period_end=end)
    w["other_digest"] = SuggestionDigest.objects.create(org=w["other_city"], period_start=end - timedelta(days=14),
                                                        period_end=end - timedelta(days=7))
    return w


world = denial_world(_build)

ORDER, SERIAL = {"order": "other_order"}, {"serial": "other_serial"}
AGENT = {"actor": "agent"}
NEW_ORDER = {"kind": "complaint", "title": "资费争议", "description": "多扣费", "fields": COMPLAINT_FIELDS,
             "customer_id": "{customer}"}


def _file(_w):
    return {"file": SimpleUploadedFile("note.txt", b"hello", content_type="text/plain")}


API = [
    door("post", "/api/workorders/orders", CREATE, body=NEW_ORDER, outside={"customer": "other_customer"}),
    door("post", "/api/workorders/orders", CREATE, body={**NEW_ORDER, "appeal_of": "{serial}"},
         outside=SERIAL, **AGENT),
    door("post", "/api/workorders/orders", CREATE, body={**NEW_ORDER, "customer_id": None, "subscriber_number": "{number}"},
         outside={"number": "other_number"}, missing={"number": "13700000000"}),
    door("get", "/api/workorders/orders", VIEW),
    door("get", "/api/workorders/my-work", HANDLE),
    door("get", "/api/workorders/supervision", SUPERVISE),
    door("get", "/api/workorders/orders/{order}", VIEW, outside=ORDER),
    door("get", "/api/workorders/orders/{serial}", VIEW, outside=SERIAL),
    door("get", "/api/workorders/orders/{order}/history", VIEW, outside=ORDER),
    door("post", "/api/workorders/orders/{order}/actions/accept", VIEW, body={"version": "{version}"},
         outside=ORDER, **AGENT),
    door("post", "/api/workorders/orders/{order}/attachments", VIEW, body=_file, multipart=True, outside=ORDER),
    door("get", "/api/workorders/attachments/{attachment}", VIEW, outside={"attachment": "other_attachment"}),
    door("get", "/api/workorders/notices", VIEW),
    door("post", "/api/workorders/notices/{notice}/read", VIEW, outside={"notice": "other_notice"}, **AGENT),
    door("post", "/api/workorders/orders/{order}/duplicate-of", HANDLE, body={"original": "{twin_serial}"},
         outside=ORDER),
    door("post", "/api/workorders/orders/{order}/duplicate-of", HANDLE, body={"original": "{twin_serial}"},
         outside={"twin_serial": "other_serial"}),
    door("get", "/api/workorders/suggestion-digests", VIEW),
    door("get", "/api/workorders/suggestion-digests/{digest}", VIEW, outside={"digest": "other_digest"}),
    door("put", "/api/workorders/parties/HW", C_MANAGE, body={"base_province": "GD"}),
    door("get", "/api/workorders/templates", T_VIEW),
    door("post", "/api/workorders/templates", T_EDIT, outside={"city_code": "other_code"},
         body={"kind": "complaint", "name": "广州投诉", "org": "{city_code}", "definition": "{definition}"}),
    door("get", "/api/workorders/templates/{template}", T_VIEW),
    door("post", "/api/workorders/templates/{template}/versions", T_EDIT, body={"definition": "{definition}"}),
    door("get", "/api/workorders/forwards", C_VIEW),
    door("put", "/api/workorders/endpoints", C_MANAGE,
         body={"org": "HW", "url": "https://example.invalid/hw", "secret": "s" * 20}),
    door("get", "/api/workorders/webhooks", C_MANAGE),
    door("post", "/api/workorders/webhooks", C_MANAGE,
         body={"name": "boss", "url": "https://example.invalid/b", "secret": "s" * 20}),
    door("delete", "/api/workorders/webhooks/{webhook}", C_MANAGE),
    door("put", "/api/workorders/calendars/{city_code}", C_MANAGE, body={"work_start": "08:30", "work_end": "17:30"},
         outside={"city_code": "other_code"}),
]

UI = [
    door("get", "/workorders/", HANDLE),
    door("get", "/workorders/new/", CREATE),
    door("get", "/workorders/new/?customer={customer}", CREATE),
    door("get", "/workorders/query/", VIEW),
    door("post", "/workorders/export/", EXPORT, body={"format": "csv"}, status=(302,)),
    door("get", "/workorders/exports/{export}/", EXPORT, outside={"export": "other_export"}, **AGENT),
    door("get", "/workorders/exports/{export}/download/", EXPORT, outside={"export": "other_export"}, **AGENT),
    door("get", "/workorders/supervision/", SUPERVISE),
    door("get", "/workorders/forwards/", C_VIEW),
    door("get", "/workorders/templates/", T_VIEW),
    door("get", "/workorders/templates/{template}/", T_VIEW),
    door("post", "/workorders/templates/{template}/", T_VIEW, T_EDIT, status=(302,),
         body=lambda w: {"definition": json.dumps(w["definition"], ensure_ascii=False), "note": "再版"}),
    door("get", "/workorders/attachments/{attachment}/", VIEW, outside={"attachment": "other_attachment"}),
    door("get", "/workorders/customers/{customer}/", VIEW, outside={"customer": "other_customer"}),
    door("get", "/workorders/coordination/", C_MANAGE),
    door("post", "/workorders/coordination/parties/{maker}/", C_MANAGE, body={"base_province": "{province}"},
         status=(302,)),
    door("get", "/workorders/suggestion-digests/", VIEW),
    door("get", "/workorders/suggestion-digests/{digest}/", VIEW, outside={"digest": "other_digest"}),
    door("post", "/workorders/coordination/endpoints/{maker}/", C_MANAGE, status=(302,),
         body={"url": "https://example.invalid/hw", "secret": "s" * 20, "active": "on"}),
    door("post", "/workorders/coordination/webhooks/", C_MANAGE, status=(302,),
         body={"name": "boss", "url": "https://example.invalid/b", "secret": "s" * 20}),
    door("post", "/workorders/coordination/webhooks/{webhook}/remove/", C_MANAGE, status=(302,)),
    door("post", "/workorders/coordination/calendars/", C_MANAGE, status=(302,), outside={"city": "other_city"},
         body={"org": "{city}", "work_start": "08:30", "work_end": "17:30", "workdays": ["1", "2", "3"]}),
    door("post", "/workorders/coordination/calendars/{city}/remove/", C_MANAGE, status=(302,),
         outside={"city": "other_city"}),
    door("get", "/workorders/{serial}/", VIEW, outside=SERIAL),
    door("post", "/workorders/{serial}/act/accept/", VIEW, body={"version": "{version}"}, outside=SERIAL, **AGENT),
    door("get", "/workorders/{serial}/act/accept/form/", VIEW, outside=SERIAL, **AGENT),
    door("post", "/workorders/{serial}/attach/", VIEW, body=_file, outside=SERIAL, status=(302,)),
    door("post", "/workorders/{serial}/duplicate/", HANDLE, body={"original": "{twin_serial}"}, outside=SERIAL,
         status=(302,)),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
