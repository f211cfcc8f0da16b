"""The knowledge API: denial for every endpoint, visibility, scope and bad input."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.knowledge.models import Article, ArticleStatus, Case

from .conftest import make_article, make_case

AV, AE = "knowledge.article.view", "knowledge.article.edit"
CV, CE = "knowledge.case.view", "knowledge.case.edit"


@pytest.fixture
def docs(db, closed_order):
    """A published and a draft article, a published case, a closed order."""
    published = make_article("国际漫游开通流程", "出国前开通国际漫游。", category="procedure")
    draft = make_article("漫游草稿", "草稿正文。", publish=False)
    retire_me = make_article("旧版漫游资费", "旧的漫游资费。")
    case = make_case("日本漫游无法上网")
    draft_case = make_case("未发布的漫游案例", publish=False)
    return {"published": published, "draft": draft, "retire_me": retire_me, "case": case,
            "draft_case": draft_case, "order": closed_order}


def endpoints(d):
    """(method, path, body, permissions that allow it) for every operation of /api/knowledge/."""
    a, dr, c = d["published"].pk, d["draft"].pk, d["case"].pk
    return [
        ("get", "/api/knowledge/search?q=漫游", None, [AV]),
        ("get", "/api/knowledge/articles", None, [AV]),
        ("post", "/api/knowledge/articles", {"title": "新文章", "body": "正文。", "category": "other", "org_id": None},
         [AE]),
        ("get", f"/api/knowledge/articles/{a}", None, [AV]),
        ("patch", f"/api/knowledge/articles/{a}", {"body": "改过的正文。"}, [AE]),
        ("delete", f"/api/knowledge/articles/{dr}", None, [AE]),
        ("post", f"/api/knowledge/articles/{dr}/publish", {}, [AE]),
        ("post", f"/api/knowledge/articles/{d['retire_me'].pk}/retire", {}, [AE]),
        ("get", f"/api/knowledge/articles/{a}/versions", None, [AV]),
        ("get", f"/api/knowledge/articles/{a}/versions/1", None, [AV]),
        ("get", "/api/knowledge/cases", None, [CV]),
        ("post", "/api/knowledge/cases", {"title": "新案例", "situation": "情况。", "solution": "办法。",
                                          "category": "other"}, [CE]),
        ("post", "/api/knowledge/cases/from-order", {"serial": d["order"].serial}, [CE, "workorders.order.view"]),
        ("get", f"/api/knowledge/cases/{c}", None, [CV]),
        ("patch", f"/api/knowledge/cases/{c}", {"solution": "新的办法。"}, [CE]),
        ("delete", f"/api/knowledge/cases/{d['draft_case'].pk}", None, [CE]),
        ("post", f"/api/knowledge/cases/{d['draft_case'].pk}/publish", {}, [CE]),
        ("post", f"/api/knowledge/cases/{c}/unpublish", {}, [CE]),
    ]


def call(api, method, path, body):
    fn = getattr(api, method)
    return fn(path) if body is None and method in ("get", "delete") else fn(path, body)


@pytest.mark.parametrize("index", range(18))
def test_every_endpoint_denies_anonymous_and_unpermitted_and_serves_the_permitted(
    docs, index, anon_api, nobody_api, staff_factory, province
):
    method, path, body, perms = endpoints(docs)[index]
    count = AuditEntry.objects.count()

    r = call(anon_api, method, path, body)
    assert r.status_code == 401, r.content
    assert r.json()["code"] == "not_authenticated"

    r = call(nobody_api, method, path, body)
    assert r.status_code == 403, r.content
    assert r.json()["code"] == "permission_denied"
    assert AuditEntry.objects.count() == count  # nothing happened

    allowed = JsonClient(client_for(staff_factory(*perms, "scope.all_orgs", org=province)))
    r = call(allowed, method, path, body)
    assert r.status_code in (200, 201, 204), r.content


def test_search_returns_ranked_highlighted_items_with_paging(docs, reader_api):
    r = reader_api.get("/api/knowledge/search", {"q": "漫游"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3 and body["page"] == 1 and body["pages"] == 1 and not body["approximate"]
    # Neither the draft article nor the unpublished case reaches a reader.
    assert {i["title"] for i in body["items"]} == {"国际漫游开通流程", "旧版漫游资费", "日本漫游无法上网"}
    item = next(i for i in body["items"] if i["id"] == docs["published"].pk and i["kind"] == "article")
    assert item["title_html"] == "国际<mark>漫游</mark>开通流程" and "<mark>漫游</mark>" in item["snippet"]
    assert item["live"] and item["category"] == "procedure" and isinstance(item["score"], float)
    only_cases = reader_api.get("/api/knowledge/search", {"q": "漫游", "kind": "case"}).json()
    assert [i["kind"] for i in only_cases["items"]] == ["case"]


def test_search_refuses_bad_input_with_400(db, reader_api):
    for params in ({"q": ""}, {"q": "漫" * 201}, {"q": "漫游", "kind": "video"}, {"q": "漫游", "category": "x"},
                   {"q": "漫游", "page_size": 500}, {"q": "漫游", "page": 0}):
        r = reader_api.get("/api/knowledge/search", params)
        assert r.status_code == 400, (params, r.content)


def test_search_of_a_kind_one_may_not_read_is_403(db, city):
    api = JsonClient(client_for(make_staff(org=city, perms=[CV])))
    assert api.get("/api/knowledge/search", {"q": "漫游", "kind": "article"}).status_code == 403
    assert api.get("/api/knowledge/search", {"q": "漫游"}).status_code == 200


def test_readers_do_not_see_drafts_and_unpublished_cases_exist_only_for_editors(docs, reader_api, editor_api):
    assert reader_api.get(f"/api/knowledge/articles/{docs['draft'].pk}").status_code == 404
    assert reader_api.get(f"/api/knowledge/cases/{docs['draft_case'].pk}").status_code == 404
    assert editor_api.get(f"/api/knowledge/articles/{docs['draft'].pk}").status_code == 200
    titles = [a["title"] for a in reader_api.get("/api/knowledge/articles").json()["items"]]
    assert "漫游草稿" not in titles and "国际漫游开通流程" in titles
    drafts = editor_api.get("/api/knowledge/articles", {"status": "draft"}).json()["items"]
    assert [a["title"] for a in drafts] == ["漫游草稿"]


def test_create_publish_edit_versions_and_retire_through_the_api(db, editor_api):
    r = editor_api.post("/api/knowledge/articles", {
        "title": "携号转网规定", "body": "在网满120天可申请携号转网。", "category": "procedure",
        "tags": ["携号转网", "规定"], "publish": True, "note": "首发"})
    assert r.status_code == 201, r.content
    art = r.json()
    assert art["status"] == "published" and art["version"] == 1 and art["tags"] == ["携号转网", "规定"]
    assert art["org_id"] is None  # the editor sees all organisations: everywhere by default
    r = editor_api.patch(f"/api/knowledge/articles/{art['id']}", {"body": "在网满120天且无欠费可申请携号转网。",
                                                                  "revision": art["revision"], "note": "补充条件"})
    assert r.status_code == 200 and r.json()["version"] == 2
    stale = editor_api.patch(f"/api/knowledge/articles/{art['id']}", {"body": "过时的修改。", "revision": art["revision"]})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    versions = editor_api.get(f"/api/knowledge/articles/{art['id']}/versions").json()
    assert [(v["number"], v["note"]) for v in versions] == [(2, "补充条件"), (1, "首发")]
    assert editor_api.get(f"/api/knowledge/articles/{art['id']}/versions/3").status_code == 404
    r = editor_api.post(f"/api/knowledge/articles/{art['id']}/retire", {})
    assert r.json()["status"] == "retired"
    assert editor_api.post(f"/api/knowledge/articles/{art['id']}/retire", {}).status_code == 409
    assert editor_api.delete(f"/api/knowledge/articles/{art['id']}").status_code == 409


def test_article_input_errors_are_400_and_duplicates_409(db, editor_api):
    good = {"title": "积分兑换规则", "body": "积分可兑换话费。", "category": "tariff"}
    assert editor_api.post("/api/knowledge/articles", good).status_code == 201
    dup = editor_api.post("/api/knowledge/articles", good)
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_title"
    for bad in ({**good, "title": "x" * 201}, {**good, "body": ""}, {**good, "category": "video", "title": "新"},
                {**good, "title": "新", "tags": ["好" * 31]}, {**good, "title": "新", "valid_from": "2026-03-02T00:00:00+08:00",
                                                          "valid_to": "2026-03-01T00:00:00+08:00"}):
        r = editor_api.post("/api/knowledge/articles", bad)
        assert r.status_code == 400, (bad, r.content)
    assert Article.objects.count() == 1
    assert editor_api.post("/api/knowledge/articles", "{not json").status_code == 400


def test_article_scope_city_editor_writes_for_own_city_reads_ancestors_not_siblings(db, province, city, other_city):
    gz_editor = JsonClient(client_for(make_staff(org=city, perms=[AV, AE])))
    # Without naming an organisation a scoped editor writes for their own.
    r = gz_editor.post("/api/knowledge/articles", {"title": "广州优惠", "body": "广州本地优惠。", "category": "tariff",
                                                   "publish": True})
    assert r.status_code == 201 and r.json()["org_id"] == city.pk
    # "Everywhere" and a sibling city are refused.
    r = gz_editor.post("/api/knowledge/articles", {"title": "全网", "body": "正文。", "category": "tariff", "org_id": None})
    assert r.status_code == 403 and r.json()["code"] == "org_required"
    r = gz_editor.post("/api/knowledge/articles", {"title": "深圳", "body": "正文。", "category": "tariff",
                                                   "org_id": other_city.pk})
    assert r.status_code == 404
    # A province article is readable but not editable from the city.
    prov = make_article("全省规定", "全省统一。", org=province)
    assert gz_editor.get(f"/api/knowledge/articles/{prov.pk}").status_code == 200
    r = gz_editor.patch(f"/api/knowledge/articles/{prov.pk}", {"body": "城市改省里的文章。"})
    assert r.status_code == 403 and r.json()["code"] == "article_out_of_scope"
    # A sibling city's article does not exist for GZ.
    sz = make_article("深圳优惠", "深圳本地。", org=other_city)
    assert gz_editor.get(f"/api/knowledge/articles/{sz.pk}").status_code == 404
    assert gz_editor.patch(f"/api/knowledge/articles/{sz.pk}", {"body": "x"}).status_code == 404
    assert Article.objects.get(pk=prov.pk).body == "全省统一。"


def test_case_from_order_cleans_links_and_refuses_twice(docs, editor_api):
    serial = docs["order"].serial
    r = editor_api.post("/api/knowledge/cases/from-order", {"serial": serial, "publish": True})
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["source_serial"] == serial and case["published"]
    assert "13800138000" not in case["situation"] and "陈大文" not in case["situation"]
    again = editor_api.post("/api/knowledge/cases/from-order", {"serial": serial})
    assert again.status_code == 409 and again.json()["code"] == "duplicate_case"
    missing = editor_api.post("/api/knowledge/cases/from-order", {"serial": "TS00000000000000"})
    assert missing.status_code == 404
    assert editor_api.post("/api/knowledge/cases/from-order", {"serial": "x" * 21}).status_code == 400


def test_case_from_an_order_outside_the_scope_is_404(docs, other_city):
    outsider = JsonClient(client_for(make_staff(org=other_city, perms=[CE, "workorders.order.view"])))
    r = outsider.post("/api/knowledge/cases/from-order", {"serial": docs["order"].serial})
    assert r.status_code == 404
    assert not Case.objects.filter(source_serial=docs["order"].serial).exists()


def test_case_patch_cleans_and_checks_revision(docs, editor_api):
    c = docs["case"]
    r = editor_api.patch(f"/api/knowledge/cases/{c.pk}", {"situation": "客户13800138000无法上网。", "revision": 1})
    assert r.status_code == 200 and "1**********" in r.json()["situation"]
    assert editor_api.patch(f"/api/knowledge/cases/{c.pk}", {"title": "新", "revision": 1}).status_code == 409
    assert editor_api.patch(f"/api/knowledge/cases/{c.pk}", {"category": "video"}).status_code == 400
    assert editor_api.post(f"/api/knowledge/cases/{c.pk}/publish", {}).status_code == 409
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() == 2


def test_patch_keeps_what_is_not_sent_and_null_removes_a_validity_bound(db, editor_api):
    art = editor_api.post("/api/knowledge/articles", {
        "title": "春节优惠", "body": "春节流量半价。", "category": "tariff", "tags": ["优惠"],
        "valid_to": "2099-02-01T00:00:00+08:00"}).json()
    r = editor_api.patch(f"/api/knowledge/articles/{art['id']}", {"tags": ["优惠", "春节"], "title": None})
    assert r.status_code == 200
    assert r.json()["tags"] == ["优惠", "春节"] and r.json()["title"] == "春节优惠" and r.json()["valid_to"]
    r = editor_api.patch(f"/api/knowledge/articles/{art['id']}", {"valid_to": None})
    assert r.json()["valid_to"] is None and r.json()["body"] == "春节流量半价。"


def test_the_openapi_schema_describes_the_knowledge_endpoints(db, admin_api):
    paths = admin_api.get("/api/openapi.json").json()["paths"]
    assert "/api/knowledge/search" in paths and "/api/knowledge/cases/from-order" in paths
