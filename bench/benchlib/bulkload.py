"""Fast bulk insert of valid rows for benchmarks: COPY on PostgreSQL, executemany on SQLite.

Rows are plain dicts keyed by field attname (``holder_staff_id``, not
``holder_staff``); fields a row leaves out get the model field's default, so a
new NOT NULL column with a default does not break the loader. Values are
converted the way Django would store them (aware datetimes to naive UTC text on
SQLite, JSON to text, durations to microseconds on SQLite), without building
model instances: a million orders load in about a minute instead of ten.

Depends on Django only (the peer's virtual environment imports it too).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, timedelta

from django.db import connection, models, transaction

CHUNK = 5_000


def _converter(field: models.Field, vendor: str) -> Callable | None:
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return lambda v: None if v is None else str(v.astimezone(UTC).replace(tzinfo=None))
        if isinstance(field, models.DurationField):
            return lambda v: None if v is None else (v // timedelta(microseconds=1))
        if isinstance(field, models.DateField):
            return lambda v: None if v is None else v.isoformat()
    return None


class Table:
    """Column layout and converters of one model's table."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.vendor = connection.vendor
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.primary_key:
                continue
            if f.has_default():
                d = f.get_default()  # callables evaluated once per load: fine for bench data
                self.defaults[f.attname] = d
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField):
                self.defaults[f.attname] = ""
        self.convert = [_converter(f, self.vendor) for f in self.fields]

    def tuple_of(self, row: dict) -> tuple:
        out = []
        defaults = self.defaults
        for name, conv in zip(self.attnames, self.convert, strict=True):
            if name in row:
                v = row[name]
            elif name in defaults:
                v = defaults[name]
            else:
                raise KeyError(f"{self.model.__name__}.{name} has no default; the row must give it")
            out.append(conv(v) if conv is not None else v)
        return tuple(out)


def insert(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert ``rows`` (with explicit ids) into ``model``'s table in one transaction."""
    table = Table(model)
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in table.columns)
    name = qn(model._meta.db_table)
    n = 0
    with transaction.atomic():
        raw = connection.connection  # the driver's connection, inside Django's transaction
        if connection.vendor == "postgresql":
            with raw.cursor() as cur, cur.copy(f"COPY {name} ({cols}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(table.tuple_of(row))
                    n += 1
        else:
            sql = f"INSERT INTO {name} ({cols}) VALUES ({', '.join('?' for _ in table.columns)})"
            cur = raw.cursor()
            batch = []
            for row in rows:
                batch.append(table.tuple_of(row))
                if len(batch) >= CHUNK:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
            cur.close()
    return n


def next_id(model: type[models.Model]) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After inserting explicit ids: make the next ORM insert continue after them (PostgreSQL)."""
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if sql:
        with connection.cursor() as cur:
            for stmt in sql:
                cur.execute(stmt)


def analyze(*model_list: type[models.Model]) -> None:
    """PostgreSQL: VACUUM ANALYZE, the state autovacuum reaches shortly after a big load.

    SQLite gets nothing: neither Kefu nor the peer runs ANALYZE there in production.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for m in model_list:
            cur.execute(f"VACUUM ANALYZE {connection.ops.quote_name(m._meta.db_table)}")
