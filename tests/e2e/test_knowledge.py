"""Journey: an agent searches the knowledge base for 漫游, sees the roaming
article first with the word highlighted and opens it; an editor then writes
an article and finds it by a Chinese word of its text."""

from playwright.sync_api import expect

from kefu.core.testing import make_org, make_staff
from kefu.knowledge.services.articles import ArticleData, article_create
from kefu.knowledge.services.cases import CaseData, case_create

from .conftest import login

PERMS = ["knowledge.article.view", "knowledge.article.edit", "knowledge.case.view", "knowledge.case.edit",
         "scope.all_orgs"]


def _article(title, body, category="procedure"):
    article_create(actor="test", data=ArticleData(title=title, body=body, category=category), publish=True)


def _search(page, words):
    page.fill("[data-testid=kb-q]", words)
    page.click("[data-testid=kb-search]")
    expect(page.locator("[data-testid=kb-count]")).to_be_visible()


def test_search_roaming_open_it_then_write_an_article_and_find_it(page, transactional_db):
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    make_staff(org=province, employee_no="kb001", name="王知识", perms=PERMS)
    _article("国际漫游开通流程", "出国前拨打10086开通国际漫游。开通漫游后在境外可以接打电话、使用流量。")
    _article("话费账单查询", "发送短信查询账单；如有境外漫游费用，账单中单列。", category="tariff")
    _article("宽带故障排查步骤", "先检查光猫指示灯，再重启路由器。")
    case_create(actor="test", data=CaseData(title="境外无法上网", situation="客户在境外漫游时无法上网。",
                                            solution="打开数据漫游开关。", category="other"), publish=True)

    login(page, "kb001")
    page.locator("nav.sidenav a[href='/knowledge/search/']").click()
    _search(page, "漫游")
    hits = page.locator("[data-testid=kb-hit]")
    expect(hits).to_have_count(3)  # the broadband article does not mention roaming
    first = hits.first
    expect(first.locator("h3")).to_have_text("国际漫游开通流程")
    expect(first.locator("h3 mark")).to_have_text("漫游")
    expect(first.locator("[data-testid=kb-snippet] mark").first).to_have_text("漫游")
    assert "q=%E6%BC%AB%E6%B8%B8" in page.url  # htmx pushed the search into the address bar

    first.locator("[data-testid=kb-hit-link]").click()
    expect(page.locator("[data-testid=kb-article-title]")).to_have_text("国际漫游开通流程")
    expect(page.locator("[data-testid=kb-article-body] mark").first).to_have_text("漫游")
    expect(page.locator("[data-testid=kb-version-row]")).to_have_count(1)

    # An editor writes a new article and publishes it at once.
    page.goto("/knowledge/articles/new/")
    page.fill("#id_title", "副卡停机说明")
    page.select_option("#id_category", "product")
    page.fill("#id_subcategory", "副卡")
    page.fill("#id_body", "主卡欠费停机时，名下副卡会同步停机；主卡缴清欠费后副卡自动恢复。")
    page.click("[data-testid=kb-article-save-publish]")
    expect(page.locator("[data-testid=kb-article-title]")).to_have_text("副卡停机说明")
    expect(page.locator("[data-testid=kb-status]")).to_have_text("已发布")

    page.goto("/knowledge/search/")
    _search(page, "同步停机")
    expect(page.locator("[data-testid=kb-hit]")).to_have_count(1)
    expect(page.locator("[data-testid=kb-hit] h3")).to_have_text("副卡停机说明")
    expect(page.locator("[data-testid=kb-snippet] mark").first).to_have_text("停机")  # 欠费停机
    expect(page.locator("[data-testid=kb-snippet] mark", has_text="同步停机")).to_have_count(1)
