"""Index the customers an entry names, for the audit search by customer (PostgreSQL).

A read records the customers it showed in ``conditions.customers`` (a JSON list of ids); the search by
customer (``kefu.audit.selectors._customer_q``) asks ``conditions -> 'customers' @> '[id]'``. Without an
index that is a scan of the whole log. A GIN index with ``jsonb_path_ops`` on exactly that expression answers
the containment from the index (the ``object_type``/``object_id`` half of the search already uses
``audit_object_idx``).

Built CONCURRENTLY (so outside a transaction): every request appends to this table, and a plain CREATE
INDEX would hold those writes for as long as a big log takes to index. SQLite has no index that reaches into
a JSON list; there the search reads the list with ``json_each`` (the embedded, single-machine database).
"""

from django.db import migrations

INDEX = "audit_customers_gin"


def _up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # A build interrupted earlier leaves an invalid index behind: drop it and build again.
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
        cursor.execute(f"CREATE INDEX CONCURRENTLY {INDEX} ON audit_auditentry "
                       "USING gin ((conditions -> 'customers') jsonb_path_ops)")


def _down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0003_audit_archive"),
    ]

    operations = [migrations.RunPython(_up, _down, elidable=False)]
