"""Shapes of the knowledge API. String lengths match the models, so an
oversized value is a 400 before any service runs."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from kefu.core.schemas import DateTime, InputSchema

from ..models import Article, Case, Category

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


def _category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


class SearchHitOut(Schema):
    kind: str = Field(..., description="article or case")
    id: int
    title: str
    title_html: str = Field(..., description="The title, HTML-escaped, query terms in <mark>")
    snippet: str = Field(..., description="Part of the text around the best match, HTML-escaped, terms in <mark>")
    score: float = Field(..., description="Engine-specific relevance; higher is better; only the order matters")
    category: str
    category_label: str
    status: str
    live: bool = Field(..., description="Whether agents see it now (published and valid)")


class SearchOut(Schema):
    query: str
    items: list[SearchHitOut]
    count: int
    page: int
    page_size: int
    pages: int
    approximate: bool = Field(..., description="True when no document held every term and close matches are shown")


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="Words or phrases, Chinese or not")
    kind: str = Field("all", max_length=8, description="all, article or case")
    category: str = Field("", max_length=16, description="product, tariff, procedure or other")
    page: int = Field(1, ge=1, le=10000)
    page_size: int = Field(20, ge=1, le=50)


class ArticleRow(Schema):
    id: int
    title: str
    category: str
    category_label: str
    subcategory: str
    tags: list[str]
    org_id: int | None
    status: str
    live: bool
    version: int
    revision: int
    valid_from: datetime | None
    valid_to: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_category_label(obj: Article) -> str:
        return _category_label(obj.category)

    @staticmethod
    def resolve_tags(obj: Article) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_live(obj: Article) -> bool:
        return obj.is_live


class ArticleOut(ArticleRow):
    body: str
    org_name: str | None
    status_label: str
    published_at: datetime | None
    retired_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_org_name(obj: Article) -> str | None:
        return obj.org.name if obj.org_id else None

    @staticmethod
    def resolve_status_label(obj: Article) -> str:
        return str(obj.get_status_display())


class ArticleFilters(Schema):
    status: str | None = Field(None, max_length=10, description="draft, published or retired (editors)")
    category: str | None = Field(None, max_length=16)
    search: str | None = Field(None, max_length=100, description="Part of the title, sub-category or tags")
    org_id: int | None = None


class ArticleIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=50000)
    category: str = Field(..., max_length=16, description="product, tariff, procedure or other")
    subcategory: str = Field("", max_length=50)
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    org_id: int | None = Field(None, description="Organisation it applies to; omitted: yours; null: everywhere")
    valid_from: DateTime | None = None
    valid_to: DateTime | None = None
    publish: bool = Field(False, description="Publish at once as version 1")
    note: str = Field("", max_length=200, description="Change note kept with the version")


class ArticlePatch(InputSchema):
    revision: int | None = Field(None, description="The revision you read; a stale one answers 409")
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=50000)
    category: str | None = Field(None, max_length=16)
    subcategory: str | None = Field(None, max_length=50)
    tags: list[Tag] | None = Field(None, max_length=20)
    org_id: int | None = None
    valid_from: DateTime | None = None
    valid_to: DateTime | None = None
    note: str = Field("", max_length=200)


class RevisionIn(InputSchema):
    revision: int | None = Field(None, description="The revision you read; a stale one answers 409")
    note: str = Field("", max_length=200)


class ArticleVersionOut(Schema):
    number: int
    title: str
    body: str
    category: str
    subcategory: str
    tags: list[str]
    org_id: int | None
    valid_from: datetime | None
    valid_to: datetime | None
    note: str
    published_by_label: str
    published_at: datetime

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t for t in obj.tags.split(",") if t]


class CaseOut(Schema):
    id: int
    title: str
    situation: str
    solution: str
    category: str
    category_label: str
    subcategory: str
    source_serial: str
    published: bool
    published_at: datetime | None
    revision: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_category_label(obj: Case) -> str:
        return _category_label(obj.category)


class CaseFilters(Schema):
    published: bool | None = None
    category: str | None = Field(None, max_length=16)
    search: str | None = Field(None, max_length=100, description="Part of the title, or a source serial")


class CaseIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    situation: str = Field(..., min_length=1, max_length=10000)
    solution: str = Field(..., min_length=1, max_length=10000)
    category: str = Field(..., max_length=16)
    subcategory: str = Field("", max_length=50)
    publish: bool = False


class CasePatch(InputSchema):
    revision: int | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    situation: str | None = Field(None, min_length=1, max_length=10000)
    solution: str | None = Field(None, min_length=1, max_length=10000)
    category: str | None = Field(None, max_length=16)
    subcategory: str | None = Field(None, max_length=50)


class CaseFromOrderIn(InputSchema):
    serial: str = Field(..., min_length=1, max_length=20, description="Serial number of a closed work order")
    title: str | None = Field(None, max_length=200, description="Default: the order's title")
    category: str | None = Field(None, max_length=16, description="Default: from the order's category")
    subcategory: str = Field("", max_length=50)
    solution: str | None = Field(None, max_length=10000, description="Default: the order's result and reply")
    publish: bool = False
