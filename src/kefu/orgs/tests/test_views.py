"""The organisation pages: permission, scope, forms and htmx toggles."""

import pytest

from kefu.core.testing import client_for, make_staff
from kefu.orgs.models import Organisation

VIEW, EDIT = "orgs.org.view", "orgs.org.edit"
HTMX = {"HTTP_HX_REQUEST": "true"}


def pages(tree):
    gz = tree["gz"]
    return [
        ("get", "/orgs/", VIEW),
        ("get", "/orgs/new/", EDIT),
        ("get", f"/orgs/{gz.pk}/edit/", EDIT),
        ("get", f"/orgs/{gz.pk}/move/", EDIT),
        ("post", f"/orgs/{tree['kf1'].pk}/active/", EDIT),
    ]


@pytest.mark.parametrize("index", range(5))
def test_every_page_needs_login_and_its_permission(tree, index, client, nobody, staff_factory):
    method, url, perm = pages(tree)[index]
    r = getattr(client, method)(url)
    assert r.status_code == 302 and "/iam/login/" in r["Location"]
    r = getattr(client_for(nobody), method)(url)
    assert r.status_code == 403
    r = getattr(client_for(staff_factory(perm, org=tree["gd"])), method)(url)
    assert r.status_code in (200, 302)


def test_tree_page_shows_the_indented_tree_with_kinds_and_greyed_inactive(tree, staff_factory):
    viewer = staff_factory(VIEW, org=tree["gd"])
    from kefu.orgs.services import org_set_active

    org_set_active(actor="test", org=tree["sz"], active=False)
    html = client_for(viewer).get("/orgs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="org-row-GZ-KF-1"' in html and 'data-level="3"' in html
    assert 'class="org-inactive" data-testid="org-row-SZ"' in html
    assert "Billing / BOSS" in html  # the external party shows its external kind
    assert "org-deactivate" not in html  # no edit buttons without orgs.org.edit
    hidden = client_for(viewer).get("/orgs/?inactive=0").content.decode()
    assert 'data-testid="org-row-SZ"' not in hidden


def test_tree_page_is_scoped(tree, staff_factory):
    html = client_for(staff_factory(VIEW, org=tree["gz"])).get("/orgs/").content.decode()
    assert "org-row-GZ-KF-1" in html
    assert "org-row-SZ" not in html and "org-row-GD" not in html


def test_create_form_creates_under_the_chosen_parent(tree, admin):
    c = client_for(admin)
    form = c.get(f"/orgs/new/?parent={tree['gd'].pk}").content.decode()
    assert f'<option value="{tree["gd"].pk}" selected>' in form
    r = c.post("/orgs/new/", {"code": "FS", "name": "佛山分公司", "kind": "city", "parent": tree["gd"].pk})
    assert r.status_code == 302
    org = Organisation.objects.get(code="FS")
    assert org.parent_id == tree["gd"].pk and org.kind == "city"


def test_create_form_shows_service_errors_on_the_field(tree, admin):
    c = client_for(admin)
    r = c.post("/orgs/new/", {"code": "GZ", "name": "重复", "kind": "city", "parent": tree["gd"].pk},
               HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409
    assert "already exists" in r.content.decode()
    r = c.post("/orgs/new/", {"code": "X", "name": "x", "kind": "city", "parent": tree["gz"].pk},
               HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "cannot be placed under" in r.content.decode()
    r = c.post("/orgs/new/", {"code": "", "name": "", "kind": "city"})
    assert r.status_code == 400
    assert not Organisation.objects.filter(code="X").exists()


def test_a_scoped_editor_cannot_create_at_the_top_or_outside(tree, staff_factory):
    c = client_for(staff_factory(VIEW, EDIT, org=tree["gz"]))
    form = c.get("/orgs/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Top of the tree" not in form
    r = c.post("/orgs/new/", {"code": "X", "name": "x", "kind": "department", "parent": tree["sz"].pk})
    assert r.status_code == 400  # not among the choices
    assert not Organisation.objects.filter(code="X").exists()


def test_edit_form_saves_and_detects_a_stale_version(tree, admin):
    c = client_for(admin)
    url = f"/orgs/{tree['gz'].pk}/edit/"
    version = tree["gz"].version
    r = c.post(url, {"name": "广州市分公司", "phone": "020-10086", "address": "", "version": version})
    assert r.status_code == 302
    assert Organisation.objects.get(pk=tree["gz"].pk).phone == "020-10086"
    r = c.post(url, {"name": "旧页面", "phone": "", "address": "", "version": version},
               HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409 and "Someone else changed" in r.content.decode()
    assert Organisation.objects.get(pk=tree["gz"].pk).name == "广州市分公司"


def test_edit_form_of_an_external_party_offers_its_external_kind(tree, admin):
    c = client_for(admin)
    assert 'name="external_kind"' in c.get(f"/orgs/{tree['boss'].pk}/edit/").content.decode()
    assert 'name="external_kind"' not in c.get(f"/orgs/{tree['gz'].pk}/edit/").content.decode()


def test_move_form_moves_and_shows_a_clear_error_for_a_cycle(tree, admin):
    c = client_for(admin)
    url = f"/orgs/{tree['kf'].pk}/move/"
    r = c.post(url, {"parent": tree["kf1"].pk, "version": tree["kf"].version}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "one of its own sub-organisations" in r.content.decode()
    r = c.post(url, {"parent": tree["sz"].pk, "version": tree["kf"].version})
    assert r.status_code == 302
    assert Organisation.objects.get(pk=tree["kf"].pk).parent_id == tree["sz"].pk


def test_pages_of_a_node_outside_the_scope_are_404(tree, staff_factory):
    c = client_for(staff_factory(VIEW, EDIT, org=tree["sz"]))
    assert c.get(f"/orgs/{tree['gz'].pk}/edit/").status_code == 404
    assert c.get(f"/orgs/{tree['gz'].pk}/move/").status_code == 404
    assert c.post(f"/orgs/{tree['kf1'].pk}/active/", {"active": "0"}).status_code == 404
    assert Organisation.objects.get(pk=tree["kf1"].pk).active


def test_htmx_deactivate_returns_the_greyed_row(tree, admin):
    c = client_for(admin)
    r = c.post(f"/orgs/{tree['kf1'].pk}/active/", {"active": "0", "level": "3"}, **HTMX)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.strip().startswith("<tr") and "org-inactive" in html and "org-reactivate" in html
    assert 'style="--level: 3"' in html
    r = c.post(f"/orgs/{tree['kf1'].pk}/active/", {"active": "1", "level": "3"}, **HTMX)
    assert "org-deactivate" in r.content.decode()


def test_htmx_deactivate_with_active_children_answers_the_error_as_json(tree, admin):
    r = client_for(admin).post(f"/orgs/{tree['gz'].pk}/active/", {"active": "0"}, **HTMX)
    assert r.status_code == 400
    assert r.json()["code"] == "has_active_children"
    assert Organisation.objects.get(pk=tree["gz"].pk).active


def test_plain_post_deactivate_redirects_with_a_message(tree, admin):
    c = client_for(admin)
    r = c.post(f"/orgs/{tree['gz'].pk}/active/", {"active": "0"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "deactivate them first" in r.content.decode()


def test_nav_shows_organisations_to_viewers_only(tree, nobody, staff_factory):
    viewer = make_staff(org=tree["gd"], perms=[VIEW])
    assert 'href="/orgs/"' in client_for(viewer).get("/").content.decode()
    assert 'href="/orgs/"' not in client_for(nobody).get("/").content.decode()
