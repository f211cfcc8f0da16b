"""Knowledge-base articles (知识库): products, tariffs and procedures for agents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core import clock
from kefu.core.models import TimeStampedModel


class Category(models.TextChoices):
    """Shared by articles and cases so that one search filter fits both."""

    PRODUCT = "product", _("Product")
    TARIFF = "tariff", _("Tariff")
    PROCEDURE = "procedure", _("Procedure")
    OTHER = "other", _("Other")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Article(TimeStampedModel):
    """One article as agents read it.

    The row always holds the live content: editing a published article
    publishes a new version at once (``services.articles``), so there is no
    second, pending copy to keep in step with the search index. Every
    published state is kept as an ``ArticleVersion``. Agents only see an
    article that is published and inside its validity window (a tariff that
    ends on the 31st disappears on the 1st without anyone retiring it).

    ``org`` limits the article to one organisation's area (a city's local
    offer); empty means it applies everywhere. ``revision`` is bumped by every
    write so two editors cannot overwrite each other (optimistic locking).
    """

    title = models.CharField(_("title"), max_length=200, unique=True)
    body = models.TextField(_("text"), max_length=50000)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, db_index=True)
    subcategory = models.CharField(_("sub-category"), max_length=50, blank=True, default="")
    tags = models.CharField(_("tags"), max_length=200, blank=True, default="",
                            help_text=_("Separated by commas"))
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("applies to"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="knowledge_articles")
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=0)  # latest published version, 0 = never
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True) | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="knowledge_article_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    def is_valid_at(self, when) -> bool:
        return (self.valid_from is None or self.valid_from <= when) and (self.valid_to is None or when < self.valid_to)

    @property
    def is_live(self) -> bool:
        """What agents may read now: published and inside the validity window."""
        return self.status == ArticleStatus.PUBLISHED and self.is_valid_at(clock.now())


class ArticleVersion(models.Model):
    """A published state of an article, kept for ever: who published what, when.

    Agents are held to what the knowledge base said when they answered, so
    the history must survive later edits.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=50000)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subcategory = models.CharField(_("sub-category"), max_length=50, blank=True, default="")
    tags = models.CharField(_("tags"), max_length=200, blank=True, default="")
    org = models.ForeignKey("orgs.Organisation", verbose_name=_("applies to"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("change note"), max_length=200, blank=True, default="")
    published_by = models.ForeignKey("iam.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_by_label = models.CharField(_("published by"), max_length=100, blank=True, default="")
    published_at = models.DateTimeField(_("published at"), default=clock.now)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_article_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"
