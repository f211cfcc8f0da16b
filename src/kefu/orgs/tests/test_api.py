"""The organisation API: denial for every endpoint, scoping, and bad input."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.orgs.models import Organisation

VIEW, EDIT = "orgs.org.view", "orgs.org.edit"


def endpoints(tree):
    """(method, path, body, permission) for every operation of /api/orgs/."""
    gz, sz, kf1 = tree["gz"], tree["sz"], tree["kf1"]
    return [
        ("get", "/api/orgs/tree", None, VIEW),
        ("get", "/api/orgs/", None, VIEW),
        ("get", f"/api/orgs/{gz.pk}", None, VIEW),
        ("post", "/api/orgs/", {"code": "NEW", "name": "新部门", "kind": "department", "parent_id": gz.pk}, EDIT),
        ("patch", f"/api/orgs/{gz.pk}", {"name": "广州市分公司", "version": gz.version}, EDIT),
        ("post", f"/api/orgs/{tree['kf'].pk}/move", {"parent_id": sz.pk}, EDIT),
        ("post", f"/api/orgs/{kf1.pk}/deactivate", None, EDIT),
        ("post", f"/api/orgs/{sz.pk}/activate", None, EDIT),
    ]


def call(api, method, path, body):
    fn = getattr(api, method)
    return fn(path) if body is None and method == "get" else fn(path, body or {})


@pytest.mark.parametrize("index", range(8))
def test_every_endpoint_denies_anonymous_and_unpermitted_and_serves_the_permitted(
    tree, index, anon_api, nobody_api, staff_factory
):
    method, path, body, perm = endpoints(tree)[index]
    count = AuditEntry.objects.count()

    r = call(anon_api, method, path, body)
    assert r.status_code == 401, r.content
    assert r.json()["code"] == "not_authenticated"

    r = call(nobody_api, method, path, body)
    assert r.status_code == 403, r.content
    assert r.json()["code"] == "permission_denied"
    assert AuditEntry.objects.count() == count  # nothing happened

    # The permitted person sits at the province (GD): every node here is in scope.
    allowed = JsonClient(client_for(staff_factory(perm, org=tree["gd"])))
    r = call(allowed, method, path, body)
    assert r.status_code in (200, 201), r.content


@pytest.mark.parametrize("index", range(2, 8))
def test_every_single_node_endpoint_is_limited_to_the_org_scope(tree, index, staff_factory):
    """A permitted person at SZ cannot see or touch GZ's nodes: 404, nothing written."""
    method, path, body, perm = endpoints(tree)[index]
    if "/activate" in path or "/move" in path:
        path = path.replace(str(tree["sz"].pk), str(tree["gz"].pk)).replace(
            str(tree["kf"].pk), str(tree["kf1"].pk))
    if method == "post" and path == "/api/orgs/":
        body = dict(body, parent_id=tree["gz"].pk)
    outsider = JsonClient(client_for(staff_factory(VIEW, EDIT, org=tree["sz"])))
    before = list(Organisation.objects.values_list("pk", "version", "active", "path"))
    r = call(outsider, method, path, body)
    assert r.status_code == 404, r.content
    assert r.json()["code"] == "org_not_found"
    assert list(Organisation.objects.values_list("pk", "version", "active", "path")) == before


def test_list_and_tree_are_scoped(tree, staff_factory):
    person = JsonClient(client_for(staff_factory(VIEW, org=tree["gz"])))
    listed = person.get("/api/orgs/").json()
    assert sorted(o["code"] for o in listed["items"]) == ["GZ", "GZ-KF", "GZ-KF-1"]
    (root,) = person.get("/api/orgs/tree").json()
    assert root["code"] == "GZ"
    assert root["children"][0]["code"] == "GZ-KF"
    assert root["children"][0]["children"][0]["code"] == "GZ-KF-1"

    widened = JsonClient(client_for(staff_factory(VIEW, "scope.all_orgs", org=tree["gz"])))
    assert widened.get("/api/orgs/").json()["count"] == 6


def test_list_filters_and_paging(tree, admin_api):
    r = admin_api.get("/api/orgs/", {"kind": "external"}).json()
    assert [o["code"] for o in r["items"]] == ["EXT-BOSS"]
    assert r["items"][0]["external_kind"] == "billing"
    r = admin_api.get("/api/orgs/", {"search": "深圳"}).json()
    assert [o["code"] for o in r["items"]] == ["SZ"]
    admin_api.post(f"/api/orgs/{tree['sz'].pk}/deactivate")
    assert [o["code"] for o in admin_api.get("/api/orgs/", {"active": "false"}).json()["items"]] == ["SZ"]
    page = admin_api.get("/api/orgs/", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 6 and len(page["items"]) == 2
    assert admin_api.get("/api/orgs/", {"page": 0}).status_code == 400


def test_tree_can_leave_out_deactivated_nodes(tree, admin_api):
    admin_api.post(f"/api/orgs/{tree['sz'].pk}/deactivate")
    (root,) = admin_api.get("/api/orgs/tree", {"include_inactive": "false"}).json()
    assert [c["code"] for c in root["children"]] == ["GZ", "EXT-BOSS"]


def test_get_returns_the_version_and_labels(tree, admin_api):
    body = admin_api.get(f"/api/orgs/{tree['gz'].pk}").json()
    assert body["code"] == "GZ" and body["kind"] == "city" and body["version"] == tree["gz"].version
    assert body["parent_id"] == tree["gd"].pk
    assert admin_api.get("/api/orgs/999999").status_code == 404


def test_create_and_its_bad_inputs(tree, admin_api):
    ok = admin_api.post("/api/orgs/", {"code": "FS", "name": "佛山分公司", "kind": "city",
                                       "parent_id": tree["gd"].pk})
    assert ok.status_code == 201 and ok.json()["depth"] == 1
    dup = admin_api.post("/api/orgs/", {"code": "FS", "name": "x", "kind": "city", "parent_id": tree["gd"].pk})
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_code"
    bad_kind = admin_api.post("/api/orgs/", {"code": "Y", "name": "x", "kind": "city", "parent_id": tree["gz"].pk})
    assert bad_kind.status_code == 400 and bad_kind.json()["code"] == "invalid_parent"
    unknown_parent = admin_api.post("/api/orgs/", {"code": "Y", "name": "x", "kind": "department",
                                                   "parent_id": 999999})
    assert unknown_parent.status_code == 404
    too_long = admin_api.post("/api/orgs/", {"code": "Y", "name": "名" * 101, "kind": "department",
                                             "parent_id": tree["gz"].pk})
    assert too_long.status_code == 400 and too_long.json()["details"][0]["field"].endswith("name")
    missing = admin_api.post("/api/orgs/", {"name": "x"})
    assert missing.status_code == 400
    malformed = admin_api.post("/api/orgs/", "{not json")
    assert malformed.status_code == 400
    assert not Organisation.objects.filter(code="Y").exists()


def test_a_scoped_person_cannot_create_at_the_top(tree, staff_factory):
    person = JsonClient(client_for(staff_factory(VIEW, EDIT, org=tree["gz"])))
    r = person.post("/api/orgs/", {"code": "TOP", "name": "x", "kind": "province", "parent_id": None})
    assert r.status_code == 403 and r.json()["code"] == "root_not_allowed"
    r = person.post("/api/orgs/", {"code": "SUB", "name": "x", "kind": "department", "parent_id": tree["kf"].pk})
    assert r.status_code == 201


def test_update_with_a_stale_version_is_409(tree, admin_api):
    url = f"/api/orgs/{tree['gz'].pk}"
    version = admin_api.get(url).json()["version"]
    assert admin_api.patch(url, {"name": "一", "version": version}).status_code == 200
    stale = admin_api.patch(url, {"name": "二", "version": version})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert admin_api.get(url).json()["name"] == "一"
    assert admin_api.patch(url, {"name": "三"}).status_code == 400  # version is required


def test_move_into_a_descendant_is_a_clear_400(tree, admin_api):
    r = admin_api.post(f"/api/orgs/{tree['gz'].pk}/move", {"parent_id": tree["kf1"].pk},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["code"] == "cycle"
    assert "loop" in r.json()["message"]
    zh = admin_api.post(f"/api/orgs/{tree['gz'].pk}/move", {"parent_id": tree["kf1"].pk},
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "循环" in zh.json()["message"]
    r = admin_api.post(f"/api/orgs/{tree['kf'].pk}/move", {"parent_id": tree["sz"].pk,
                                                           "version": tree["kf"].version})
    assert r.status_code == 200 and r.json()["parent_id"] == tree["sz"].pk
    stale = admin_api.post(f"/api/orgs/{tree['kf'].pk}/move", {"parent_id": tree["gz"].pk,
                                                               "version": tree["kf"].version})
    assert stale.status_code == 409


def test_deactivate_refuses_while_children_are_active(tree, admin_api):
    r = admin_api.post(f"/api/orgs/{tree['gz'].pk}/deactivate")
    assert r.status_code == 400 and r.json()["code"] == "has_active_children"
    r = admin_api.post(f"/api/orgs/{tree['kf1'].pk}/deactivate")
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["deactivated_at"]
    r = admin_api.post(f"/api/orgs/{tree['kf1'].pk}/activate")
    assert r.status_code == 200 and r.json()["active"] is True


def test_api_token_is_scoped_like_the_session(tree):
    from kefu.iam.auth import TOKEN_PREFIX, hash_token
    from kefu.iam.models import ApiToken

    person = make_staff(org=tree["gz"], perms=[VIEW])
    raw = f"{TOKEN_PREFIX}orgtest_secret-value"
    ApiToken.objects.create(staff=person, name="integration", prefix="orgtest", token_hash=hash_token(raw))
    api = JsonClient(token=raw)
    assert sorted(o["code"] for o in api.get("/api/orgs/").json()["items"]) == ["GZ", "GZ-KF", "GZ-KF-1"]
