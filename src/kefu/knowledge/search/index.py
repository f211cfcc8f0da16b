"""Keeping the search index in step with articles and cases.

Called by the services inside their transaction (not from signals), so an
article is findable exactly when its change is committed, and a failed change
leaves the index untouched.
"""

from __future__ import annotations

from django.db import connection, transaction

from ..models import Article, ArticleStatus, Case, DocType, SearchEntry
from ..tokenize import index_text
from . import backend


def _upsert(doc_type: str, doc_id: int, **values) -> SearchEntry:
    entry, _created = SearchEntry.objects.update_or_create(doc_type=doc_type, doc_id=doc_id, defaults=values)
    return entry


def index_article(article: Article) -> SearchEntry:
    """Title, sub-category and tags weigh as title; the text as body."""
    return _upsert(
        DocType.ARTICLE, article.pk,
        category=article.category, org_id=article.org_id,
        live=article.status == ArticleStatus.PUBLISHED,
        valid_from=article.valid_from, valid_to=article.valid_to,
        title_tokens=index_text(" ".join([article.title, article.subcategory, article.tags.replace(",", " ")])),
        body_tokens=index_text(article.body),
    )


def index_case(case: Case) -> SearchEntry:
    return _upsert(
        DocType.CASE, case.pk,
        category=case.category, org_id=None, live=case.published, valid_from=None, valid_to=None,
        title_tokens=index_text(" ".join([case.title, case.subcategory])),
        body_tokens=index_text(f"{case.situation}\n{case.solution}"),
    )


def unindex(doc_type: str, doc_id: int) -> None:
    SearchEntry.objects.filter(doc_type=doc_type, doc_id=doc_id).delete()


@transaction.atomic
def reindex_all() -> dict[str, int]:
    """Rebuild everything from the articles and cases; returns counts.

    Also recreates the engine structures if something removed them.
    """
    backend.create_schema(connection)
    SearchEntry.objects.all().delete()
    counts = {"articles": 0, "cases": 0}
    for article in Article.objects.iterator(chunk_size=500):
        index_article(article)
        counts["articles"] += 1
    for case in Case.objects.iterator(chunk_size=500):
        index_case(case)
        counts["cases"] += 1
    backend.rebuild(connection)
    return counts
