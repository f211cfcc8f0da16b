"""Contact-center pages through Django's test client (browser journeys are in tests/e2e/test_desktop.py)."""

from kefu.audit.models import AuditEntry
from kefu.contactcenter.models import Queue
from kefu.contactcenter.services import contacts as ct
from kefu.core.testing import client_for, make_staff
from kefu.workorders.models import WorkOrder

from .desk_support import call

PAGES = ["/contactcenter/desk/", "/contactcenter/supervisor/", "/contactcenter/queues/",
         "/contactcenter/queues/new/", "/contactcenter/contacts/"]


def test_pages_deny_without_permission_and_send_anonymous_to_login(cc):
    nobody = client_for(make_staff(org=cc.province))
    for url in PAGES + [f"/contactcenter/queues/{cc.q_vip.pk}/", "/contactcenter/contacts/1/"]:
        assert nobody.get(url).status_code == 403, url
    assert nobody.post(f"/contactcenter/queues/{cc.q_vip.pk}/delete/").status_code == 403
    anon = client_for(cc.agents[0])
    anon.logout()
    assert anon.get("/contactcenter/desk/").status_code == 302


def test_the_desk_page_carries_what_the_script_needs(cc):
    page = client_for(cc.agents[0]).get("/contactcenter/desk/").content.decode()
    assert 'data-api="/api/contactcenter"' in page and 'data-ws="/ws/agent/"' in page
    assert 'value="meal"' in page and "用餐" in page  # not-ready reasons from the parameter
    assert 'value="work_order"' in page  # dispositions
    assert 'id="desk-labels"' in page and "desktop.js" in page
    assert 'data-billing-url=""' in page  # the agent may not read bills: the pop shows the balance


def test_the_desk_embeds_the_bill_summary_for_agents_who_may_read_bills(cc):
    from django.apps import apps

    agent = make_staff(org=cc.province, perms=["contactcenter.desk.use", "billing.bill.view"])
    page = client_for(agent).get("/contactcenter/desk/").content.decode()
    expected = "/billing/customers/{id}/summary/" if apps.is_installed("kefu.billing") else ""
    assert f'data-billing-url="{expected}"' in page


def test_the_supervisor_page_offers_force_buttons_only_with_the_permission(cc):
    page = client_for(cc.sup).get("/contactcenter/supervisor/").content.decode()
    assert "supervisor.js" in page and "sv-force-logout" in page
    viewer = make_staff(org=cc.province, perms=["contactcenter.supervise.view"])
    assert "sv-force-logout" not in client_for(viewer).get("/contactcenter/supervisor/").content.decode()


def _queue_post(cc, **kw):
    data = {
        "code": "ROAM", "name": "国际漫游", "channel": "voice", "org": cc.province.pk, "sl_target_percent": 80,
        "sl_target_seconds": 20, "short_abandon_seconds": 5, "max_wait_seconds": 300,
        "max_wait_action": "callback", "closed_message": "", "script": "漫游话术", "active": "on",
        "skills-TOTAL_FORMS": 2, "skills-INITIAL_FORMS": 0, "skills-0-skill": "general", "skills-0-min_level": 4,
        "skills-1-skill": "", "skills-1-min_level": "",
        "overflow-TOTAL_FORMS": 2, "overflow-INITIAL_FORMS": 0, "overflow-0-after": 45, "overflow-0-skill": "general",
        "overflow-0-min_level": 1, "overflow-1-after": "", "overflow-1-skill": "", "overflow-1-min_level": "",
        "open_1": "08:00", "close_1": "22:00", "open_7": "10:00", "close_7": "16:00",
    }
    data.update(kw)
    return data


def test_create_and_edit_a_queue_through_the_forms(cc):
    admin = make_staff(org=cc.province, perms=["contactcenter.queue"])
    c = client_for(admin)
    assert c.get("/contactcenter/queues/new/").status_code == 200
    r = c.post("/contactcenter/queues/new/", _queue_post(cc))
    assert r.status_code == 302, r.content.decode()[:2000]
    q = Queue.objects.get(code="ROAM")
    assert q.opening_hours == {"1": ["08:00", "22:00"], "7": ["10:00", "16:00"]}
    assert q.overflow == [{"after": 45, "skills": [["general", 1]]}]
    assert list(q.skills.values_list("skill_group__code", "min_level")) == [("general", 4)]
    page = c.get(f"/contactcenter/queues/{q.pk}/").content.decode()
    assert 'value="ROAM"' in page and "漫游话术" in page
    r = c.post(f"/contactcenter/queues/{q.pk}/", _queue_post(
        cc, name="国际漫游专席", always_open="on", **{"skills-INITIAL_FORMS": 1}))
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.name == "国际漫游专席" and q.opening_hours == {}
    assert "国际漫游专席" in c.get("/contactcenter/queues/").content.decode()
    assert AuditEntry.objects.filter(object_type="contactcenter.queue", object_id=str(q.pk)).count() == 2


def test_queue_form_errors_are_shown_not_saved(cc):
    c = client_for(make_staff(org=cc.province, perms=["contactcenter.queue"]))
    r = c.post("/contactcenter/queues/new/", _queue_post(cc, **{"skills-0-skill": ""}))
    assert r.status_code == 400 and "skills-error" in r.content.decode()
    r = c.post("/contactcenter/queues/new/", _queue_post(cc, code="GEN"))
    assert r.status_code == 400 and "errors" in r.content.decode()
    r = c.post("/contactcenter/queues/new/", _queue_post(cc, open_1="22:00", close_1="08:00"))
    assert r.status_code == 400
    assert not Queue.objects.filter(code="ROAM").exists()


def test_queue_delete_refuses_a_used_queue_and_removes_an_unused_one(cc):
    c = client_for(make_staff(org=cc.province, perms=["contactcenter.queue"]))
    call("13900000002", cc.q_general)
    r = c.post(f"/contactcenter/queues/{cc.q_general.pk}/delete/", follow=True)
    assert Queue.objects.filter(pk=cc.q_general.pk).exists()
    assert r.redirect_chain[-1][0] == f"/contactcenter/queues/{cc.q_general.pk}/" and "msg-error" in r.content.decode()
    c.post("/contactcenter/queues/new/", _queue_post(cc))
    q = Queue.objects.get(code="ROAM")
    assert c.post(f"/contactcenter/queues/{q.pk}/delete/").status_code == 302
    assert not Queue.objects.filter(pk=q.pk).exists()


def test_viewers_see_queues_but_cannot_edit(cc):
    c = client_for(make_staff(org=cc.province, perms=["contactcenter.queue.view"]))
    page = c.get("/contactcenter/queues/").content.decode()
    assert "大客户队列" in page and "电话" in page and "queue-new" not in page
    assert c.get(f"/contactcenter/queues/{cc.q_vip.pk}/").status_code == 403


def test_contact_records_list_and_detail(cc):
    viewer = make_staff(org=cc.province, perms=["contactcenter.contact.view", "workorders.order.view"])
    c = client_for(viewer)
    lost = call("13900000001", cc.q_vip)
    ct.contact_end(contact_id=lost.pk, by_switch=True)
    page = c.get("/contactcenter/contacts/").content.decode()  # today by default
    assert "陈大客户" in page and "contact-row" in page
    assert "contact-row" not in c.get("/contactcenter/contacts/", {"abandoned": "false"}).content.decode()
    assert c.get("/contactcenter/contacts/", {"since": "not a date"}).status_code == 200
    detail = c.get(f"/contactcenter/contacts/{lost.pk}/").content.decode()
    assert 'data-kind="arrived"' in detail and 'data-kind="ended"' in detail
    assert c.get("/contactcenter/contacts/999999/").status_code == 404


def test_work_order_form_carries_the_contact_as_origin(cc):
    from kefu.contactcenter.tests.test_api_records import COMPLAINT_FIELDS

    contact = call("13900000001", cc.q_vip)
    c = client_for(cc.agents[1])
    page = c.get(f"/workorders/new/?kind=complaint&customer={cc.vip.pk}&contact={contact.pk}").content.decode()
    assert f'name="contact" value="{contact.pk}"' in page
    r = c.post("/workorders/new/", {"kind": "complaint", "title": "多扣费", "description": "本月多扣",
                                    "channel": "phone", "customer": cc.vip.pk, "contact": contact.pk,
                                    **{f"f_{k}": v for k, v in COMPLAINT_FIELDS.items()}})
    assert r.status_code == 302, r.content.decode()[:3000]
    order = WorkOrder.objects.get()
    assert order.origin_contact == str(contact.pk) and order.customer == cc.vip
    assert 'name="contact"' not in c.get("/workorders/new/?contact=abc").content.decode()
