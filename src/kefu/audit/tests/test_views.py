"""The audit search page."""

from kefu.audit.models import AuditEntry
from kefu.core.testing import client_for

HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_page_needs_login_and_permission(client, nobody, staff_factory, province):
    r = client.get("/audit/")
    assert r.status_code == 302 and "/iam/login/" in r["Location"]
    assert client_for(nobody).get("/audit/").status_code == 403
    assert client_for(staff_factory("audit.log.view", org=province)).get("/audit/").status_code == 200


def test_page_shows_time_actor_ip_channel_action_object_and_changes(entries, admin):
    html = client_for(admin).get("/audit/", {"object_type": "orgs.organisation"}, **EN).content.decode()
    assert 'data-testid="audit-entry"' in html
    assert "2026-03-01 09:00:00" in html
    assert "gz001 广州甲" in html
    assert "广州分公司 (GZ)" in html
    assert "广州</span><span class=\"arrow\">→</span><span class=\"after\">广州分公司" in html
    assert "深圳乙" not in html


def test_page_shows_conditions_and_result_count_of_searches(entries, admin):
    html = client_for(admin).get("/audit/", {"action": "search", "object_type": "crm.customer"}, **EN)
    html = html.content.decode()
    assert "number = 13800138000" in html
    assert "2 results" in html


def test_htmx_gets_only_the_results(entries, admin):
    r = client_for(admin).get("/audit/", {"action": "expire"}, **HTMX, **EN)
    html = r.content.decode()
    assert r.status_code == 200
    assert "<html" not in html and 'data-testid="audit-results"' in html
    assert "夜班临时授权" in html


def test_bad_conditions_show_a_message_and_400(entries, admin):
    r = client_for(admin).get("/audit/", {"since": "2026-03-02T00:00", "until": "2026-03-01T00:00"}, **HTMX, **EN)
    assert r.status_code == 400
    assert "must not be before" in r.content.decode()
    r = client_for(admin).get("/audit/", {"action": "teleport"}, **EN)
    assert r.status_code == 400


def test_each_page_view_is_a_recorded_search(entries, admin):
    client_for(admin).get("/audit/", {"actor": "gz001", "page": "1"})
    record = AuditEntry.objects.filter(object_type="audit.auditentry").get()
    assert record.channel == "web" and record.conditions == {"actor": "gz001"} and record.result_count == 1


def test_paging_links_keep_the_conditions(province, admin):
    from kefu.audit.services import audit_record

    for i in range(30):
        audit_record(actor=admin, action="update", object_type="x.y", object_id=i)
    html = client_for(admin).get("/audit/", {"object_type": "orgs.organisation", "action": "create"}).content.decode()
    assert "page=2" not in html
    html = client_for(admin).get("/audit/", {"action": "update"}).content.decode()
    assert "action=update&amp;page=2" in html or "action=update&page=2" in html


def test_nav_entry_for_auditors_only(nobody, staff_factory, province):
    assert 'href="/audit/"' in client_for(staff_factory("audit.log.view", org=province)).get("/").content.decode()
    assert 'href="/audit/"' not in client_for(nobody).get("/").content.decode()
