"""A process template belongs to the organisation it serves: one serving another branch, an organisation
above mine or every organisation (the global one) is read-only to me, in the API and in the editor.

Reading stays open to every holder of the view right; only someone over the template's organisation (for a
global template: someone holding the top of the tree) may publish a new version or create one there.
"""

import json

import pytest

from kefu.core.testing import JsonClient, client_for, make_org, make_staff
from kefu.workorders.models import ProcessTemplate
from kefu.workorders.services.templates import template_create, templates_ensure_defaults

EDIT = ["workorders.template"]


@pytest.fixture
def tpls(center):
    templates_ensure_defaults(actor="test")
    glob = ProcessTemplate.objects.get(kind="inquiry", org=None)
    definition = glob.current_version().definition
    made = {name: template_create(actor="test", kind="inquiry", name=name, org=org, definition=definition)
            for name, org in (("省咨询", center.province), ("广州咨询", center.gz), ("深圳咨询", center.sz))}
    return {"global": glob, "province": made["省咨询"], "gz": made["广州咨询"], "sz": made["深圳咨询"],
            "definition": definition}


@pytest.fixture
def gz_editor(center):
    return make_staff(org=center.gz, perms=EDIT, employee_no="G800", name="广州模板员")


def _version(t):
    return t.current_version().number


@pytest.mark.parametrize("which", ["global", "province", "sz"])
def test_a_city_editor_cannot_publish_a_template_serving_more_than_the_city(tpls, gz_editor, which):
    t = tpls[which]
    r = JsonClient(client_for(gz_editor)).post(f"/api/workorders/templates/{t.pk}/versions",
                                               {"definition": tpls["definition"], "note": "改"})
    assert r.status_code == 403 and r.json()["code"] == "template_out_of_reach", r.content
    assert _version(t) == 1


def test_out_of_reach_comes_before_validation(tpls, gz_editor):
    r = JsonClient(client_for(gz_editor)).post(f"/api/workorders/templates/{tpls['global'].pk}/versions",
                                               {"definition": {"start": "x", "stations": []}})
    assert r.status_code == 403 and r.json()["code"] == "template_out_of_reach"


def test_a_city_editor_publishes_the_citys_own_template(tpls, gz_editor):
    r = JsonClient(client_for(gz_editor)).post(f"/api/workorders/templates/{tpls['gz'].pk}/versions",
                                               {"definition": tpls["definition"]})
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["read_only"] is False


def test_a_city_editor_creates_templates_only_for_the_city(tpls, gz_editor):
    api = JsonClient(client_for(gz_editor))
    body = {"kind": "complaint", "name": "广州投诉", "definition": tpls["definition"]}
    r = api.post("/api/workorders/templates", body)
    assert r.status_code == 403 and r.json()["code"] == "template_out_of_reach"
    r = api.post("/api/workorders/templates", {**body, "org": "SZ"})
    assert r.status_code == 400 and r.json()["code"] == "unknown_org"
    r = api.post("/api/workorders/templates", {**body, "org": "GZ"})
    assert r.status_code == 201 and r.json()["org"] == "GZ"
    assert not ProcessTemplate.objects.filter(kind="complaint", org__code__in=["SZ"]).exists()
    assert ProcessTemplate.objects.filter(kind="complaint", org=None).count() == 1  # only the default


def test_reading_stays_open_and_says_what_is_read_only(tpls, gz_editor):
    api = JsonClient(client_for(gz_editor))
    rows = {t["id"]: t["read_only"] for t in api.get("/api/workorders/templates", {"kind": "inquiry"}).json()}
    assert rows == {tpls["global"].pk: True, tpls["province"].pk: True, tpls["sz"].pk: True, tpls["gz"].pk: False}
    r = api.get(f"/api/workorders/templates/{tpls['sz'].pk}")
    assert r.status_code == 200 and r.json()["read_only"] is True


def test_the_top_of_the_tree_changes_every_template(tpls, center):
    prov = JsonClient(client_for(make_staff(org=center.province, perms=EDIT, employee_no="P800")))
    for which in ("global", "province", "sz"):
        r = prov.post(f"/api/workorders/templates/{tpls[which].pk}/versions", {"definition": tpls["definition"]})
        assert r.status_code == 201, (which, r.content)


def test_the_global_template_needs_the_whole_tree_not_only_a_root(tpls, center):
    """With a second tree beside the province, the province no longer holds the top: the global template
    serves the other tree too. Someone who sees all organisations still may change it."""
    make_org(code="BJ", kind="province", name="北京省客服中心")
    prov = JsonClient(client_for(make_staff(org=center.province, perms=EDIT, employee_no="P801")))
    r = prov.post(f"/api/workorders/templates/{tpls['global'].pk}/versions", {"definition": tpls["definition"]})
    assert r.status_code == 403 and r.json()["code"] == "template_out_of_reach"
    assert prov.post(f"/api/workorders/templates/{tpls['sz'].pk}/versions",
                     {"definition": tpls["definition"]}).status_code == 201
    everyone = JsonClient(client_for(make_staff(org=center.gz, perms=[*EDIT, "scope.all_orgs"])))
    assert everyone.post(f"/api/workorders/templates/{tpls['global'].pk}/versions",
                         {"definition": tpls["definition"]}).status_code == 201


def test_the_editor_page_is_read_only_for_a_template_out_of_reach(tpls, gz_editor):
    c = client_for(gz_editor)
    html = c.get(f"/workorders/templates/{tpls['sz'].pk}/").content.decode()
    assert 'data-testid="template-read-only-note"' in html and 'data-testid="publish"' not in html
    assert "definition-read-only" in html
    own = c.get(f"/workorders/templates/{tpls['gz'].pk}/").content.decode()
    assert 'data-testid="publish"' in own and "template-read-only-note" not in own
    listing = c.get("/workorders/templates/").content.decode()
    assert f'data-testid="template-read-only-{tpls["global"].pk}"' in listing
    assert f'data-testid="template-read-only-{tpls["gz"].pk}"' not in listing


def test_the_editor_page_refuses_to_publish_out_of_reach(tpls, gz_editor):
    c = client_for(gz_editor)
    text = json.dumps(tpls["definition"], ensure_ascii=False)
    for which in ("global", "sz"):
        r = c.post(f"/workorders/templates/{tpls[which].pk}/", {"definition": text})
        assert r.status_code == 403 and _version(tpls[which]) == 1
    assert c.post(f"/workorders/templates/{tpls['gz'].pk}/", {"definition": text}).status_code == 302
