"""The demo seed: realistic content, findable, idempotent."""

from kefu.knowledge.models import Article, ArticleStatus, Case
from kefu.knowledge.search.query import knowledge_search
from kefu.knowledge.seed import PROMOTION, knowledge_seed


def test_seed_makes_published_indexed_articles_and_cases_once(db, editor, reader):
    assert knowledge_seed() == {"articles": 31, "cases": 15}
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED, version=1).count() == 31
    assert Case.objects.filter(published=True).count() == 15
    assert Article.objects.get(title=PROMOTION).valid_to is not None
    assert knowledge_seed() == {"articles": 0, "cases": 0}

    hits = knowledge_search(actor=reader, q="漫游").hits
    assert hits[0].kind == "article" and "<mark>漫游</mark>" in hits[0].title_html
    assert [h.title for h in knowledge_search(actor=reader, q="服务密码重置").hits][0] == "服务密码重置流程"
    assert [h.title for h in knowledge_search(actor=reader, q="携号转网").hits][0] == "携号转网规定"
    assert knowledge_search(actor=reader, q="光猫", kind="case").hits[0].title == "宽带频繁掉线"
