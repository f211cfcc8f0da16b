"""Searching articles and cases: filter by what the actor may read, rank, highlight.

A query first requires every token (close to the typed phrase). When that
finds nothing and the query has several tokens, it retries with any token,
ranked by how many and how well they match, and says so (``approximate``):
an agent typing 国际漫游开通 still finds 国际漫游业务的开通流程.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import PermissionDenied, ValidationFailed

from ..highlight import highlight, snippet
from ..models import Article, Case, Category, DocType
from ..tokenize import query_tokens
from ..visibility import Access, access_of
from . import backend

KINDS = ("all", DocType.ARTICLE, DocType.CASE)
MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 50


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    title_html: SafeString
    snippet: SafeString
    score: float
    category: str
    category_label: str
    status: str  # an article's status; for a case "published" or "draft"
    live: bool  # what a reader would see right now
    obj: Article | Case = field(repr=False)


@dataclass
class SearchResults:
    query: str
    kind: str
    category: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    approximate: bool = False
    searched: bool = True  # False when the query had nothing to search for

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def _kinds(access: Access, kind: str) -> list[str]:
    if kind not in KINDS:
        raise ValidationFailed(_("Unknown kind “%(kind)s”: use all, article or case.") % {"kind": kind},
                               code="invalid_kind")
    allowed = [k for k, ok in ((DocType.ARTICLE, access.articles), (DocType.CASE, access.cases)) if ok]
    if kind != "all":
        if kind not in allowed:
            raise PermissionDenied(_("You lack the permission to search these documents."),
                                   code="permission_denied")
        return [kind]
    if not allowed:
        raise PermissionDenied(_("You lack the permission to search the knowledge base."),
                               code="permission_denied")
    return allowed


def _where(access: Access, kinds: list[str], category: str) -> backend.Filter:
    """The visibility rules of ``kefu.knowledge.visibility`` as SQL on entry ``e``."""
    now = connection.ops.adapt_datetimefield_value(clock.now())
    parts, params = [], []
    if DocType.ARTICLE in kinds:
        sql = "e.doc_type = %s"
        params.append(DocType.ARTICLE)
        if not access.article_editor:
            sql += (" AND e.live = %s AND (e.valid_from IS NULL OR e.valid_from <= %s)"
                    " AND (e.valid_to IS NULL OR e.valid_to > %s)")
            params += [True, now, now]
        if not access.all_orgs:
            sql += " AND (e.org_id IS NULL"
            if access.home_path:
                ancestors = access.ancestor_ids
                placeholders = ", ".join(["%s"] * len(ancestors))
                sql += (f" OR e.org_id IN ({placeholders})"  # noqa: S608 - placeholders only
                        " OR e.org_id IN (SELECT o.id FROM orgs_organisation o WHERE o.path LIKE %s)")
                params += [*ancestors, access.home_path + "%"]
            sql += ")"
        parts.append(f"({sql})")
    if DocType.CASE in kinds:
        sql = "e.doc_type = %s"
        params.append(DocType.CASE)
        if not access.case_editor:
            sql += " AND e.live = %s"
            params.append(True)
        parts.append(f"({sql})")
    where = "(" + " OR ".join(parts) + ")"
    if category:
        where += " AND e.category = %s"
        params.append(category)
    return backend.Filter(where, params)


def _hits(rows, query: str) -> list[Hit]:
    articles = Article.objects.in_bulk([i for t, i, _s in rows if t == DocType.ARTICLE])
    cases = Case.objects.in_bulk([i for t, i, _s in rows if t == DocType.CASE])
    hits = []
    for doc_type, doc_id, score in rows:
        obj = (articles if doc_type == DocType.ARTICLE else cases).get(doc_id)
        if obj is None:  # deleted between the two queries
            continue
        if doc_type == DocType.ARTICLE:
            text, status, live = obj.body, obj.status, obj.is_live
        else:
            text = f"{obj.situation} {obj.solution}"
            status, live = ("published" if obj.published else "draft"), obj.published
        hits.append(Hit(
            kind=doc_type, id=obj.pk, title=obj.title, title_html=highlight(obj.title, query),
            snippet=snippet(text, query), score=round(score, 6), category=obj.category,
            category_label=str(Category(obj.category).label) if obj.category in Category.values else obj.category,
            status=status, live=live, obj=obj,
        ))
    return hits


def knowledge_search(*, actor, q: str, kind: str = "all", category: str = "", page: int = 1,
                     per_page: int = 20) -> SearchResults:
    """One page of articles and cases matching ``q`` that ``actor`` may read, best first."""
    access = access_of(actor)
    kinds = _kinds(access, kind or "all")
    category = category or ""
    if category and category not in Category.values:
        raise ValidationFailed(_("Unknown category “%(category)s”.") % {"category": category},
                               code="invalid_category")
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    page, per_page = max(1, int(page or 1)), max(1, min(int(per_page or 20), MAX_PER_PAGE))
    tokens = query_tokens(q)
    results = SearchResults(query=q, kind=kind or "all", category=category, hits=[], total=0, page=page,
                            per_page=per_page, searched=bool(tokens))
    if not tokens:
        return results
    where = _where(access, kinds, category)
    offset = (page - 1) * per_page
    total, rows = backend.match(connection, tokens, mode="all", where=where, limit=per_page, offset=offset)
    if total == 0 and len(tokens) > 1:
        total, rows = backend.match(connection, tokens, mode="any", where=where, limit=per_page, offset=offset)
        results.approximate = total > 0
    results.total, results.hits = total, _hits(rows, q)
    return results
