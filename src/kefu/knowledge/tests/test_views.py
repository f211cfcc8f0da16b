"""The knowledge pages: permission on every page, search and partials, forms, scope."""

import pytest
from django.utils import timezone

from kefu.core.testing import client_for, make_staff
from kefu.knowledge.models import Article, ArticleStatus, Case

from .conftest import make_article, make_case

AV, AE = "knowledge.article.view", "knowledge.article.edit"
CV, CE = "knowledge.case.view", "knowledge.case.edit"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def docs(db, closed_order):
    return {"article": make_article("国际漫游开通流程", "出国前开通国际漫游。\n\n办理渠道：短信、营业厅。"),
            "draft": make_article("漫游草稿", "草稿。", publish=False),
            "case": make_case("日本漫游无法上网"), "order": closed_order}


def pages(d):
    a, c = d["article"].pk, d["case"].pk
    return [
        ("get", "/knowledge/search/?q=漫游", [AV]),
        ("get", "/knowledge/search/partial/?q=漫游", [CV]),
        ("get", "/knowledge/articles/", [AV]),
        ("get", "/knowledge/articles/new/", [AE]),
        ("get", f"/knowledge/articles/{a}/", [AV]),
        ("get", f"/knowledge/articles/{a}/edit/", [AE]),
        ("post", f"/knowledge/articles/{d['draft'].pk}/publish/", [AE]),
        ("post", f"/knowledge/articles/{a}/retire/", [AE]),
        ("post", f"/knowledge/articles/{d['draft'].pk}/delete/", [AE]),
        ("get", f"/knowledge/articles/{a}/versions/1/", [AV]),
        ("get", "/knowledge/cases/", [CV]),
        ("get", "/knowledge/cases/new/", [CE]),
        ("get", f"/knowledge/cases/{c}/", [CV]),
        ("get", f"/knowledge/cases/{c}/edit/", [CE]),
        ("post", f"/knowledge/cases/{c}/publish/", [CE]),
        ("post", f"/knowledge/cases/{c}/delete/", [CE]),
        ("get", f"/knowledge/cases/from-order/{d['order'].serial}/", [CE, "workorders.order.view"]),
    ]


@pytest.mark.parametrize("index", range(17))
def test_every_page_needs_login_and_its_permission(docs, index, client, nobody, staff_factory):
    method, url, perms = pages(docs)[index]
    r = getattr(client, method)(url)
    assert r.status_code == 302 and "/iam/login/" in r["Location"]
    r = getattr(client_for(nobody), method)(url)
    assert r.status_code == 403
    r = getattr(client_for(staff_factory(*perms, "scope.all_orgs")), method)(url)
    assert r.status_code in (200, 302), r.content[:500]


def test_search_page_shows_highlighted_results_and_htmx_gets_only_the_list(docs, reader):
    c = client_for(reader)
    html = c.get("/knowledge/search/", {"q": "漫游"}).content.decode()
    assert 'data-testid="kb-search-form"' in html and "<h1>" in html
    assert "国际<mark>漫游</mark>开通流程" in html and "日本<mark>漫游</mark>无法上网" in html
    assert "漫游草稿" not in html
    partial = c.get("/knowledge/search/", {"q": "漫游", "kind": "case"}, **HTMX).content.decode()
    assert "<h1>" not in partial and "日本<mark>漫游</mark>无法上网" in partial and "开通流程" not in partial
    assert f'/knowledge/articles/{docs["article"].pk}/?hl=%E6%BC%AB%E6%B8%B8' in html


def test_search_page_reports_nothing_found_and_bad_filters(docs, reader):
    c = client_for(reader)
    assert 'data-testid="kb-none"' in c.get("/knowledge/search/", {"q": "宽带提速"}).content.decode()
    r = c.get("/knowledge/search/", {"q": "漫游", "category": "video"})
    assert r.status_code == 200 and 'data-testid="kb-error"' in r.content.decode()


def test_the_embeddable_partial_is_a_compact_fragment_with_a_limit(docs, reader):
    make_article("漫游资费", "漫游资费说明。")
    c = client_for(reader)
    html = c.get("/knowledge/search/partial/", {"q": "漫游", "limit": 1}).content.decode()
    assert "<html" not in html and html.count('data-testid="kb-compact-hit"') == 1
    assert 'target="_blank"' in html and "<mark>漫游</mark>" in html
    assert "kb-compact" in c.get("/knowledge/search/partial/").content.decode()  # no q: a hint, not an error
    assert c.get("/knowledge/search/partial/", {"q": "漫游", "limit": "x"}).status_code == 200


def test_article_page_shows_the_current_version_validity_history_and_highlight(docs, reader):
    html = client_for(reader).get(f"/knowledge/articles/{docs['article'].pk}/", {"hl": "漫游"}).content.decode()
    assert "出国前开通国际<mark>漫游</mark>。" in html and "<p>办理渠道：短信、营业厅。</p>" in html
    assert 'data-testid="kb-version-row"' in html and 'data-testid="kb-article-actions"' not in html
    assert client_for(reader).get(f"/knowledge/articles/{docs['draft'].pk}/").status_code == 404


def test_create_an_article_as_draft_then_publish_from_its_page(db, editor):
    c = client_for(editor)
    r = c.post("/knowledge/articles/new/", {"title": "携号转网规定", "category": "procedure", "org": "",
                                             "body": "在网满120天可申请。", "tags": "携号转网，规定"})
    assert r.status_code == 302
    article = Article.objects.get(title="携号转网规定")
    assert article.status == ArticleStatus.DRAFT and article.tags == "携号转网,规定" and article.org is None
    c.post(f"/knowledge/articles/{article.pk}/publish/", {"revision": article.revision})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.version == 1


def test_editing_a_published_article_warns_and_republishes(docs, editor):
    c = client_for(editor)
    a = docs["article"]
    assert 'data-testid="kb-republish-note"' in c.get(f"/knowledge/articles/{a.pk}/edit/").content.decode()
    r = c.post(f"/knowledge/articles/{a.pk}/edit/", {
        "title": a.title, "category": a.category, "org": "", "body": "新的正文。", "revision": a.revision,
        "valid_from": "2026-01-01T00:00", "note": "更新"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.version == 2 and a.body == "新的正文。"
    assert timezone.localtime(a.valid_from).strftime("%Y-%m-%d %H:%M") == "2026-01-01 00:00"


def test_the_article_form_shows_errors_and_keeps_input(db, editor):
    make_article("积分兑换规则", "正文。")
    c = client_for(editor)
    r = c.post("/knowledge/articles/new/", {"title": "积分兑换规则", "category": "tariff", "org": "", "body": "x"})
    assert r.status_code == 409 and '<ul class="errors"><li>' in r.content.decode()
    r = c.post("/knowledge/articles/new/", {"title": "新", "category": "tariff", "org": "", "body": "x",
                                             "valid_from": "2026-03-02T00:00", "valid_to": "2026-03-01T00:00"})
    assert r.status_code == 400
    assert Article.objects.count() == 1


def test_a_city_editor_cannot_edit_a_province_article_from_the_ui(db, province, city):
    prov = make_article("全省规定", "全省统一。", org=province)
    gz_editor = make_staff(org=city, perms=[AV, AE])
    c = client_for(gz_editor)
    assert c.get(f"/knowledge/articles/{prov.pk}/").status_code == 200
    assert c.get(f"/knowledge/articles/{prov.pk}/edit/").status_code == 403
    assert c.post(f"/knowledge/articles/{prov.pk}/retire/").status_code == 403
    # The form offers only the editor's subtree; "everywhere" is refused.
    form = c.get("/knowledge/articles/new/").content.decode()
    assert f'<option value="{city.pk}" selected>' in form and f'<option value="{province.pk}"' not in form
    r = c.post("/knowledge/articles/new/", {"title": "广州优惠", "category": "tariff", "org": str(city.pk),
                                             "body": "广州本地。"})
    assert r.status_code == 302 and Article.objects.get(title="广州优惠").org == city


def test_make_a_case_from_an_order_previews_the_cleaned_text(docs, editor):
    c = client_for(editor)
    url = f"/knowledge/cases/from-order/{docs['order'].serial}/"
    html = c.get(url).content.decode()
    assert "1**********" in html and "13800138000" not in html and "陈大文" not in html
    r = c.post(url, {"title": "漫游高额流量费减免", "category": "tariff", "solution": "按规则减免。", "publish": "on"})
    assert r.status_code == 302
    case = Case.objects.get(source_serial=docs["order"].serial)
    assert case.published and case.title == "漫游高额流量费减免"
    detail = c.get(f"/knowledge/cases/{case.pk}/").content.decode()
    assert f'href="/workorders/{case.source_serial}/"' in detail  # the editor may open the order
    again = c.get(url).content.decode()
    assert 'data-testid="kb-case-exists"' in again
    assert c.post(url, {"title": "再来一次", "category": "tariff", "solution": "x"}).status_code == 409
    assert c.get("/knowledge/cases/from-order/TS00000000000000/").status_code == 404


def test_case_pages_list_edit_publish_delete(docs, editor, reader):
    c = client_for(editor)
    case = docs["case"]
    r = c.post(f"/knowledge/cases/{case.pk}/edit/", {
        "title": case.title, "category": "other", "situation": "客户13900000000无法上网。", "solution": case.solution,
        "revision": case.revision})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.situation == "客户1**********无法上网。"
    c.post(f"/knowledge/cases/{case.pk}/publish/", {"published": "0"})
    assert not Case.objects.get(pk=case.pk).published
    assert "日本漫游无法上网" not in client_for(reader).get("/knowledge/cases/").content.decode()
    assert "日本漫游无法上网" in c.get("/knowledge/cases/?published=0").content.decode()
    c.post(f"/knowledge/cases/{case.pk}/delete/")
    assert not Case.objects.filter(pk=case.pk).exists()


def test_nav_shows_knowledge_to_readers_only(db, reader, nobody):
    assert "/knowledge/search/" in client_for(reader).get("/knowledge/articles/").content.decode()
    assert "/knowledge/search/" not in client_for(nobody).get("/").content.decode()


def test_an_open_order_cannot_become_a_case(docs, editor):
    from kefu.workorders.models import WorkOrder

    WorkOrder.objects.filter(pk=docs["order"].pk).update(state="open")
    url = f"/knowledge/cases/from-order/{docs['order'].serial}/"
    html = client_for(editor).get(url).content.decode()
    assert 'data-testid="kb-order-open"' in html and "kb-from-order-form" not in html
    r = client_for(editor).post(url, {"title": "x", "category": "tariff", "solution": "y"})
    assert r.status_code == 400 and not Case.objects.filter(source_serial=docs["order"].serial).exists()
