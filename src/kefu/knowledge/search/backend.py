"""The engine-specific SQL of knowledge search: SQLite FTS5 or PostgreSQL tsvector.

Everything else (tokenising, filtering rules, highlighting) is shared; only
"which entries match these tokens, and how well" differs per engine. Both
engines read the same pre-tokenised text from ``knowledge_searchentry``.

Scores are engine-specific (FTS5: ``-bm25``, PostgreSQL: ``ts_rank``); only
their order means something: higher is better on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The SQL below is assembled from constants and from ``Filter`` fragments that
# ``search.query`` builds from constants too; every value travels as a
# parameter. Hence the S608 waivers.

ENTRY = "knowledge_searchentry"
FTS = "knowledge_fts"
#: Title tokens count four times as much as body tokens.
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
#: Articles are the reference, a case tells one story: at about equal
#: relevance the agent should see the rule first.
ARTICLE_BOOST = 1.25
_BOOST = f"(CASE WHEN e.doc_type = 'article' THEN {ARTICLE_BOOST} ELSE 1.0 END)"

_SQLITE_SCHEMA = [
    # External content: the FTS table stores only its index; the text lives
    # in knowledge_searchentry, mirrored by the triggers below.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        doc_type UNINDEXED, doc_id UNINDEXED, title_tokens, body_tokens,
        content='{ENTRY}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER IF NOT EXISTS {ENTRY}_ai AFTER INSERT ON {ENTRY} BEGIN
        INSERT INTO {FTS}(rowid, doc_type, doc_id, title_tokens, body_tokens)
        VALUES (new.id, new.doc_type, new.doc_id, new.title_tokens, new.body_tokens);
    END""",  # noqa: S608 - constant table names, no input
    f"""CREATE TRIGGER IF NOT EXISTS {ENTRY}_ad AFTER DELETE ON {ENTRY} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, doc_type, doc_id, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.doc_type, old.doc_id, old.title_tokens, old.body_tokens);
    END""",  # noqa: S608 - constant table names, no input
    f"""CREATE TRIGGER IF NOT EXISTS {ENTRY}_au AFTER UPDATE ON {ENTRY} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, doc_type, doc_id, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.doc_type, old.doc_id, old.title_tokens, old.body_tokens);
        INSERT INTO {FTS}(rowid, doc_type, doc_id, title_tokens, body_tokens)
        VALUES (new.id, new.doc_type, new.doc_id, new.title_tokens, new.body_tokens);
    END""",  # noqa: S608 - constant table names, no input
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {ENTRY}_{s}" for s in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {FTS}"]

_PG_SCHEMA = [
    f"""ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', body_tokens), 'B')
    ) STORED""",
    f"CREATE INDEX IF NOT EXISTS {ENTRY}_tsv_gin ON {ENTRY} USING gin (tsv)",
]
_PG_DROP = [f"DROP INDEX IF EXISTS {ENTRY}_tsv_gin", f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS tsv"]


def _pg_present(cursor) -> bool:
    cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                   "AND table_name = %s AND column_name = 'tsv'",
                   [ENTRY])
    has_column = cursor.fetchone() is not None
    cursor.execute("SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                   "AND indexname = %s", [ENTRY, f"{ENTRY}_tsv_gin"])
    return has_column and cursor.fetchone() is not None


def create_schema(connection) -> None:
    """Create the engine structures (idempotent: also repairs missing ones,
    e.g. SQLite triggers lost when a later migration rebuilds the table).

    PostgreSQL refuses ALTER TABLE in a transaction with pending deferred
    checks, even a no-op one, so it is only issued when something is missing.
    """
    statements = {"sqlite": _SQLITE_SCHEMA, "postgresql": _PG_SCHEMA}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and _pg_present(cursor):
            return
        for sql in statements:
            cursor.execute(sql)


def drop_schema(connection) -> None:
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def rebuild(connection) -> None:
    """Make the engine index match the entry table exactly."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")  # noqa: S608 - constant
    # PostgreSQL: the generated column is recomputed with every row write.


@dataclass
class Filter:
    """A WHERE fragment on the entry table ``e`` with its parameters."""

    sql: str = "1=1"
    params: list = field(default_factory=list)


def _match_sqlite(tokens: list[str], mode: str) -> str:
    joiner = " AND " if mode == "all" else " OR "
    # Tokens are [0-9a-z] words or CJK characters: quoting makes each a plain term.
    return joiner.join(f'"{t}"' for t in tokens)


def _match_pg(tokens: list[str], mode: str) -> str:
    joiner = " & " if mode == "all" else " | "
    return joiner.join(f"'{t}'" for t in tokens)


_FROM = {
    # CROSS JOIN makes SQLite drive the join from the MATCH; left to itself
    # the planner may scan the entries and run the full-text query per row.
    "sqlite": f"FROM {FTS} CROSS JOIN {ENTRY} e ON e.id = {FTS}.rowid WHERE {FTS} MATCH %s",
    # The @@ match uses the GIN index knowledge_searchentry_tsv_gin.
    "postgresql": f"FROM {ENTRY} e, to_tsquery('simple', %s) AS q(query) WHERE e.tsv @@ q.query",
}
_SCORE = {
    "sqlite": f"-bm25({FTS}, 0, 0, {TITLE_WEIGHT}, {BODY_WEIGHT}) * {_BOOST}",  # bm25: lower is better
    # 1: divided by 1 + log(length), as bm25 favours short texts.
    "postgresql": f"ts_rank(e.tsv, q.query, 1) * {_BOOST}",
}


def _sql(vendor: str, where: Filter, *, count: bool) -> str:
    if vendor not in _FROM:
        raise NotImplementedError(f"knowledge search does not support the {vendor!r} database")
    if count:
        return f"SELECT COUNT(*) {_FROM[vendor]} AND {where.sql}"  # noqa: S608
    return (f"SELECT e.doc_type, e.doc_id, {_SCORE[vendor]} AS score {_FROM[vendor]} AND {where.sql} "  # noqa: S608
            "ORDER BY score DESC, e.id DESC LIMIT %s OFFSET %s")


def match(connection, tokens: list[str], *, mode: str, where: Filter, limit: int, offset: int
          ) -> tuple[int, list[tuple[str, int, float]]]:
    """``(total, [(doc_type, doc_id, score), ...])`` best first.

    ``mode`` is ``"all"`` (every token must occur) or ``"any"``.
    """
    if not tokens:
        return 0, []
    vendor = connection.vendor
    expr = _match_sqlite(tokens, mode) if vendor == "sqlite" else _match_pg(tokens, mode)
    with connection.cursor() as cursor:
        cursor.execute(_sql(vendor, where, count=True), [expr, *where.params])
        total = cursor.fetchone()[0]
        if not total or offset >= total:
            return total, []
        cursor.execute(_sql(vendor, where, count=False), [expr, *where.params, limit, offset])
        rows = [(t, int(i), float(s)) for t, i, s in cursor.fetchall()]
    return total, rows
