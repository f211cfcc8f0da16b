"""The search index: one row per article or case, engine-neutral.

Services write these rows (tokenised by ``kefu.knowledge.tokenize``) in the
same transaction as the change they index. Each engine derives its own
full-text structure from this table inside the database (migration 0002):

- SQLite: an FTS5 table ``knowledge_fts`` with this table as external
  content, kept in step by triggers, ranked with ``bm25()``;
- PostgreSQL: a generated ``tsv`` column (``simple`` configuration, title
  weighted A, body B) with a GIN index, ranked with ``ts_rank``.

The columns beside the text (visibility, validity, category, organisation)
let one SQL statement filter, rank and page. ``kefu manage reindex_knowledge``
rebuilds the table and the engine structures from the articles and cases.
"""

from django.db import models


class DocType(models.TextChoices):
    ARTICLE = "article", "article"
    CASE = "case", "case"


class SearchEntry(models.Model):
    doc_type = models.CharField(max_length=8, choices=DocType.choices)
    doc_id = models.BigIntegerField()
    category = models.CharField(max_length=16)
    org = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    live = models.BooleanField(default=False)  # published (validity is checked at query time)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    title_tokens = models.TextField(blank=True, default="")
    body_tokens = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["doc_type", "doc_id"], name="knowledge_search_doc_unique")]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.doc_id}"
