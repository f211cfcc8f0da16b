"""Writing knowledge articles: create, edit, publish (a new version), retire, delete.

One write path for the UI, the API and the demo seed. Each service runs in
one transaction with its audit entry and its search-index update, so the
index never shows a change that was rolled back.

Services check business rules (valid content, states, duplicates, stale
edits); *who* may touch *which* article, and which organisation they may
choose, is decided by ``selectors`` before the call, so the seed and tests
can pass a plain ``actor="system"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_create, audit_delete, audit_record, audit_update, diff, snapshot
from kefu.core import clock
from kefu.core.deletion import delete_unless_used
from kefu.core.errors import Conflict, ValidationFailed

from ..models import Article, ArticleStatus, ArticleVersion, Category, DocType
from ..search import index
from ._common import check_revision, label_of, staff_or_none

#: Fields kept in the audit log. The text itself is logged as its length
#: (it can be 50,000 characters); every published text is in ArticleVersion.
AUDIT_FIELDS = ("title", "category", "subcategory", "tags", "org", "valid_from", "valid_to", "status", "version")
CONTENT_FIELDS = ("title", "body", "category", "subcategory", "tags", "org", "valid_from", "valid_to")
_TAG_SPLIT = re.compile(r"[,，;；、]+")
_LIMITS = {"title": 200, "body": 50000, "subcategory": 50, "tags": 200, "note": 200}
MAX_TAG = 30


@dataclass(frozen=True)
class ArticleData:
    """The full content of an article (a partial change is merged by the caller)."""

    title: str
    body: str
    category: str
    subcategory: str = ""
    tags: Sequence[str] | str = ()
    org: object = None  # Organisation or None (applies everywhere)
    valid_from: datetime | None = None
    valid_to: datetime | None = None


def normalise_tags(tags: Sequence[str] | str) -> str:
    """``"5G, 套餐，5G"`` or ``["5G", "套餐"]`` → ``"5G,套餐"`` (order kept, duplicates dropped)."""
    parts = _TAG_SPLIT.split(tags) if isinstance(tags, str) else [p for t in tags for p in _TAG_SPLIT.split(t)]
    seen: dict[str, None] = {}
    for p in parts:
        p = p.strip()
        if p:
            seen.setdefault(p, None)
    return ",".join(seen)


def _validated(data: ArticleData) -> dict:
    values: dict[str, Any] = {
        "title": (data.title or "").strip(), "body": (data.body or "").strip(), "category": data.category or "",
        "subcategory": (data.subcategory or "").strip(), "tags": normalise_tags(data.tags or ()),
        "org": data.org, "valid_from": data.valid_from, "valid_to": data.valid_to,
    }
    errors = {}
    if not values["title"]:
        errors["title"] = _("The title is required.")
    if not values["body"]:
        errors["body"] = _("The text is required.")
    if values["category"] not in Category.values:
        errors["category"] = _("Choose a category: product, tariff, procedure or other.")
    for name in ("title", "body", "subcategory", "tags"):
        if len(values[name]) > _LIMITS[name]:
            errors[name] = _("At most %(n)d characters.") % {"n": _LIMITS[name]}
    if any(len(t) > MAX_TAG for t in values["tags"].split(",")):
        errors["tags"] = _("A tag has at most %(n)d characters.") % {"n": MAX_TAG}
    if values["valid_from"] and values["valid_to"] and values["valid_to"] <= values["valid_from"]:
        errors["valid_to"] = _("“Valid until” must be after “valid from”.")
    if errors:
        raise ValidationFailed(_("The article is not valid; see details."), code="invalid_article", details=errors)
    return values


def _duplicate(title: str) -> Conflict:
    return Conflict(_("An article titled “%(title)s” already exists.") % {"title": title}, code="duplicate_title",
                    details={"title": _("This title is taken.")})


def _check_title_free(title: str, *, exclude_pk=None) -> None:
    if Article.objects.filter(title=title).exclude(pk=exclude_pk).exists():
        raise _duplicate(title)


def _save(article: Article, **kwargs) -> None:
    try:
        with transaction.atomic():
            article.save(**kwargs)
    except IntegrityError:  # two editors took the same title at the same moment
        raise _duplicate(article.title) from None


def _audit_change(actor, article: Article, before: dict, before_body: str, note: str = "") -> None:
    """One audit entry per change; a changed text is logged by its length."""
    changes = diff(before, snapshot(article, AUDIT_FIELDS))
    if article.body != before_body:
        changes["body"] = [f"{len(before_body)} chars", f"{len(article.body)} chars"]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=article, changes=changes, note=note)


def _new_version(actor, article: Article, note: str) -> ArticleVersion:
    """Freeze the article as it is now as its next published version."""
    now = clock.now()
    article.version += 1
    article.status = ArticleStatus.PUBLISHED
    article.published_at = now
    article.retired_at = None
    return ArticleVersion.objects.create(
        article=article, number=article.version, title=article.title, body=article.body,
        category=article.category, subcategory=article.subcategory, tags=article.tags, org=article.org,
        valid_from=article.valid_from, valid_to=article.valid_to, note=(note or "").strip()[:200],
        published_by=staff_or_none(actor), published_by_label=label_of(actor), published_at=now,
    )


def _check_publishable(article: Article) -> None:
    if article.valid_to is not None and article.valid_to <= clock.now():
        raise ValidationFailed(
            _("The article's validity ended on %(when)s; change “valid until” before publishing.")
            % {"when": article.valid_to.strftime("%Y-%m-%d %H:%M")},
            code="expired", details={"valid_to": _("Already in the past.")},
        )


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_create(*, actor, data: ArticleData, publish: bool = False, note: str = "") -> Article:
    """A new draft, or published at once as version 1 with ``publish``."""
    values = _validated(data)
    _check_title_free(values["title"])
    staff = staff_or_none(actor)
    article = Article(**values, created_by=staff, updated_by=staff)
    if publish:
        _check_publishable(article)
    _save(article)
    audit_create(actor=actor, obj=article, fields=AUDIT_FIELDS)
    if publish:
        before = snapshot(article, AUDIT_FIELDS)
        _new_version(actor, article, note)
        article.save()
        audit_update(actor=actor, obj=article, before=before)
    index.index_article(article)
    return article


@transaction.atomic
def article_update(*, actor, article: Article, data: ArticleData, revision: int | None = None,
                   note: str = "") -> Article:
    """Change the content. A published article is republished at once as a
    new version (agents always read the current row); a draft or retired
    article just changes. Nothing changes → nothing is written."""
    article = _locked(article)
    check_revision(article, revision)
    values = _validated(data)
    if values["title"] != article.title:
        _check_title_free(values["title"], exclude_pk=article.pk)
    if all(getattr(article, f) == values[f] for f in CONTENT_FIELDS):
        return article
    before, before_body = snapshot(article, AUDIT_FIELDS), article.body
    for name, value in values.items():
        setattr(article, name, value)
    article.updated_by = staff_or_none(actor)
    article.revision += 1
    if article.status == ArticleStatus.PUBLISHED:
        _check_publishable(article)
        _new_version(actor, article, note)
    _save(article)
    _audit_change(actor, article, before, before_body, note=(note or "")[:200])
    index.index_article(article)
    return article


@transaction.atomic
def article_publish(*, actor, article: Article, revision: int | None = None, note: str = "") -> Article:
    """Publish a draft or a retired article as its next version."""
    article = _locked(article)
    check_revision(article, revision)
    if article.status == ArticleStatus.PUBLISHED:
        raise Conflict(_("The article is already published; saving a change publishes a new version."),
                       code="already_published")
    _check_publishable(article)
    before = snapshot(article, AUDIT_FIELDS)
    _new_version(actor, article, note)
    article.updated_by = staff_or_none(actor)
    article.revision += 1
    article.save()
    audit_update(actor=actor, obj=article, before=before)
    index.index_article(article)
    return article


@transaction.atomic
def article_retire(*, actor, article: Article, revision: int | None = None) -> Article:
    """Withdraw a published article from agents; its versions stay."""
    article = _locked(article)
    check_revision(article, revision)
    if article.status != ArticleStatus.PUBLISHED:
        raise Conflict(_("Only a published article can be retired."), code="not_published")
    before = snapshot(article, AUDIT_FIELDS)
    article.status = ArticleStatus.RETIRED
    article.retired_at = clock.now()
    article.updated_by = staff_or_none(actor)
    article.revision += 1
    article.save()
    audit_update(actor=actor, obj=article, before=before)
    index.index_article(article)
    return article


@transaction.atomic
def article_delete(*, actor, article: Article) -> None:
    """Delete a draft that was never published; published ones are retired
    instead, so that what agents once read stays on record."""
    article = _locked(article)
    if article.version > 0:
        raise Conflict(_("This article was published; retire it instead of deleting it."), code="was_published")
    audit_delete(actor=actor, obj=article, fields=AUDIT_FIELDS)
    index.unindex(DocType.ARTICLE, article.pk)
    delete_unless_used(article, label=article.title)
