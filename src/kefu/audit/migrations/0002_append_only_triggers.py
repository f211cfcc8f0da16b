"""Make the audit log append-only in the database itself, not only in Python.

``AuditEntry.save``/``delete`` and its queryset already refuse changes, but
raw SQL, a shell or a future bug would pass them by. These triggers refuse
any UPDATE of an entry's columns, on PostgreSQL and SQLite alike.

Two deliberate holes, and why:

* ``actor_id`` may be set to NULL (and only to NULL). It is a SET_NULL
  foreign key: Django clears it when a staff row is deleted, and refusing
  that would make deleting a person fail with a database error. The entry
  keeps who acted in ``actor_label`` ("工号 name"), so nothing is lost.
* DELETE is refused by a trigger on PostgreSQL only. PostgreSQL empties
  tables for ``manage.py flush`` (and the test suite's transactional tests)
  with TRUNCATE, which row triggers do not see. SQLite has no TRUNCATE:
  flush runs ``DELETE FROM audit_auditentry``, and SQLite offers no way to
  switch a trigger off for one session, so a DELETE trigger would make flush
  — and every transactional test and demo reset — impossible. On SQLite,
  the embedded single-machine database, deletion is refused by the model
  and queryset guards; production sites run PostgreSQL, where it is refused
  by the database as well.

SQLite drops a table's triggers when a migration rebuilds the table (its
way of altering columns), and a new column is not in the UPDATE OF list: a
migration that changes audit_auditentry must re-create these triggers. The
test ``test_every_column_is_protected_by_the_database`` fails if it does not.
"""

from django.db import migrations

TABLE = "audit_auditentry"
MESSAGE = "audit log is append-only"
#: Every column but actor_id (see above).
PROTECTED_COLUMNS = (
    "id", "at", "actor_label", "ip", "channel", "request_id", "action", "object_type", "object_id",
    "object_repr", "changes", "conditions", "result_count", "note",
)
_COLS = ", ".join(PROTECTED_COLUMNS)

POSTGRESQL_UP = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$;
    """,
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE OF {_COLS} ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();""",
    f"""CREATE TRIGGER audit_auditentry_actor_only_cleared BEFORE UPDATE OF actor_id ON {TABLE}
        FOR EACH ROW WHEN (NEW.actor_id IS NOT NULL) EXECUTE FUNCTION audit_auditentry_append_only();""",
    f"""CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();""",
]
POSTGRESQL_DOWN = [
    f"DROP TRIGGER IF EXISTS audit_auditentry_no_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_auditentry_actor_only_cleared ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_auditentry_no_update ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only();",
]

SQLITE_UP = [
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE OF {_COLS} ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER audit_auditentry_actor_only_cleared BEFORE UPDATE OF actor_id ON {TABLE}
        WHEN NEW.actor_id IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_actor_only_cleared;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
]

_BY_VENDOR = {"postgresql": (POSTGRESQL_UP, POSTGRESQL_DOWN), "sqlite": (SQLITE_UP, SQLITE_DOWN)}


def _run(schema_editor, index: int) -> None:
    statements = _BY_VENDOR.get(schema_editor.connection.vendor)
    if statements is None:
        return  # another database: the Python guards still apply
    for sql in statements[index]:
        schema_editor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, 0)


def uninstall(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
