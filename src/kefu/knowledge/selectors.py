"""Reads of articles and cases, limited by ``visibility`` (permission, state, organisation).

Something the actor may not read answers "not found", as if it did not exist,
so ids reveal nothing. Full-text search is ``search.query.knowledge_search``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import NotFound, PermissionDenied
from kefu.orgs.selectors import org_forest, org_get_visible, org_tree_rows

from .models import Article, ArticleVersion, Case
from .search.query import knowledge_search  # noqa: F401 - reads are reached through selectors
from .visibility import access_of, live_article_q


def _article_not_found(article_id) -> NotFound:
    return NotFound(_("Article %(id)s does not exist.") % {"id": article_id}, code="article_not_found")


def _case_not_found(case_id) -> NotFound:
    return NotFound(_("Case %(id)s does not exist.") % {"id": case_id}, code="case_not_found")


def article_list(*, actor, status: str | None = None, category: str | None = None, search: str | None = None,
                 org_id: int | None = None) -> QuerySet:
    """Articles the actor may read, most recently changed first.

    Readers get live articles only; editors every state (``status`` filters).
    ``search`` is a plain title match; full text is ``knowledge_search``.
    """
    access = access_of(actor)
    if not access.articles:
        return Article.objects.none()
    qs = Article.objects.select_related("org").filter(access.org_q())
    if not access.article_editor:
        qs = qs.filter(live_article_q(clock.now()))
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if org_id is not None:
        qs = qs.filter(org_id=org_id)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(subcategory__icontains=search) | Q(tags__icontains=search))
    return qs.order_by("-updated_at", "-pk")


def article_get(*, actor, article_id) -> Article:
    """One article the actor may read (a reader: only while it is live)."""
    access = access_of(actor)
    try:
        article = Article.objects.select_related("org", "created_by", "updated_by").get(pk=article_id)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise _article_not_found(article_id) from None
    readable = access.articles and Article.objects.filter(access.org_q(), pk=article.pk).exists()
    if not readable or (not access.article_editor and not article.is_live):
        raise _article_not_found(article_id)
    return article


def article_for_edit(*, actor, article_id) -> Article:
    """An article the actor may change: readable, and inside their own
    organisation's subtree (one for everywhere: only if they see all)."""
    access = access_of(actor)
    article = article_get(actor=actor, article_id=article_id)
    if not access.article_editor or not access.may_edit_org(article.org):
        raise PermissionDenied(
            _("This article belongs to %(org)s; only its editors may change it.")
            % {"org": article.org.name if article.org else _("everywhere")},
            code="article_out_of_scope",
        )
    return article


def article_org_for(*, actor, org_id: int | None):
    """Resolve the organisation chosen for an article the actor writes."""
    if org_id is None:
        if not access_of(actor).all_orgs:
            raise PermissionDenied(
                _("Only someone who sees all organisations may write an article that applies everywhere."),
                code="org_required", details={"org_id": _("Choose your organisation or one below it.")},
            )
        return None
    return org_get_visible(actor=actor, org_id=org_id)


def article_org_choices(*, actor) -> list:
    """``(org, level)`` rows an editor may choose from, in tree order."""
    return org_tree_rows(org_forest(actor=actor, include_inactive=False))


def may_write_everywhere(actor) -> bool:
    return access_of(actor).all_orgs


def article_versions(*, article: Article) -> QuerySet:
    return ArticleVersion.objects.filter(article=article).select_related("published_by").order_by("-number")


def article_version_get(*, article: Article, number: int) -> ArticleVersion:
    try:
        return ArticleVersion.objects.select_related("org").get(article=article, number=number)
    except (ArticleVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Version %(n)s of this article does not exist.") % {"n": number},
                       code="version_not_found") from None


def case_list(*, actor, published: bool | None = None, category: str | None = None,
              search: str | None = None) -> QuerySet:
    """Cases the actor may read: readers published ones, editors all."""
    access = access_of(actor)
    if not access.cases:
        return Case.objects.none()
    qs = Case.objects.all()
    if not access.case_editor:
        qs = qs.filter(published=True)
    elif published is not None:
        qs = qs.filter(published=published)
    if category:
        qs = qs.filter(category=category)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(source_serial=search))
    return qs.order_by("-updated_at", "-pk")


def case_get(*, actor, case_id) -> Case:
    access = access_of(actor)
    try:
        case = Case.objects.select_related("created_by", "source_order").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise _case_not_found(case_id) from None
    if not access.cases or (not access.case_editor and not case.published):
        raise _case_not_found(case_id)
    return case


def case_for_edit(*, actor, case_id) -> Case:
    if not access_of(actor).case_editor:
        raise PermissionDenied(_("You lack the permission to change cases."), code="permission_denied")
    return case_get(actor=actor, case_id=case_id)


def case_of_order(*, serial: str) -> Case | None:
    return Case.objects.filter(source_serial=serial).first()


def order_for_case(*, actor, serial: str):
    """The work order a case is made from, if the actor may see it (else 404)."""
    from kefu.workorders.selectors import order_get

    return order_get(actor=actor, serial=(serial or "").strip())
