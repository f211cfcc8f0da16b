"""Two PostgreSQL roles: the owner changes the schema, the application only uses it.

The audit log's triggers refuse UPDATE and DELETE, but the owner of a table
(or a superuser) can switch triggers off, TRUNCATE it or set
``session_replication_role = replica``. So Kefu runs as a role that owns
nothing: it may SELECT/INSERT/UPDATE/DELETE the ordinary tables, only
SELECT/INSERT the append-only ones (models with ``append_only = True``) plus
UPDATE of the columns they list in ``append_only_clearable`` (the SET_NULL
``actor_id``, which the triggers allow to become NULL and nothing else).

``DATABASE_URL`` names the application role; ``KEFU_MIGRATE_DATABASE_URL``
the owner. ``migrate`` (``kefu manage migrate``, ``kefu seed``) connects as
the owner for its run and re-applies the grants afterwards; ``kefu manage
db_roles`` creates or updates the application role. The database is the one
``DATABASE_URL`` names (a test run's test database): the migration URL only
says *who* connects. See docs/decisions/0019-application-database-role.md.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

#: What the owner's URL replaces in the connection settings (not NAME: same database).
_WHO = ("USER", "PASSWORD", "HOST", "PORT")
#: Privileges on ordinary tables.
_DML = "SELECT, INSERT, UPDATE, DELETE"


def append_only_tables() -> dict[str, tuple[str, ...]]:
    """``{table: columns the application may still update}`` for append-only models."""
    from django.apps import apps

    return {m._meta.db_table: tuple(getattr(m, "append_only_clearable", ()))
            for m in apps.get_models() if getattr(m, "append_only", False)}


def owner_url() -> str:
    return getattr(settings, "KEFU_MIGRATE_DATABASE_URL", "") or ""


@contextmanager
def as_owner(alias: str = "default"):
    """Connect ``alias`` as the owner inside the block when a migration URL is set.

    Yields the application's own settings (``USER``, ``PASSWORD``…) or
    ``None`` when no migration URL is configured (the connection is then
    used as it is).
    """
    url = owner_url()
    if not url:
        yield None
        return
    import dj_database_url

    conn = connections[alias]
    if conn.vendor != "postgresql":
        raise ImproperlyConfigured("KEFU_MIGRATE_DATABASE_URL is for PostgreSQL; DATABASE_URL is not PostgreSQL.")
    owner = dj_database_url.parse(url)
    app = {key: conn.settings_dict.get(key) for key in _WHO}
    close_with_pool(conn)
    conn.settings_dict.update({key: owner.get(key) for key in _WHO})
    try:
        yield app
    finally:
        close_with_pool(conn)
        conn.settings_dict.update(app)


def close_with_pool(conn) -> None:
    """Close the connection and its pool: a pool keeps the role it was opened with, whatever the settings say."""
    conn.close()
    if getattr(conn, "pool", None) is not None:
        conn.close_pool()


def current_user(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def role_exists(connection, role: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def application_role_ensure(connection, role: str, password: str | None) -> bool:
    """Create ``role`` (or bring it back to an unprivileged login); True when created."""
    q = connection.ops.quote_name(role)
    created = not role_exists(connection, role)
    attrs = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    with connection.cursor() as cursor:
        verb = "CREATE" if created else "ALTER"
        if password:
            cursor.execute(f"{verb} ROLE {q} WITH {attrs} PASSWORD %s", [password])
        else:
            cursor.execute(f"{verb} ROLE {q} WITH {attrs}")
    return created


def application_role_grant(connection, role: str) -> list[str]:
    """Give ``role`` exactly the application's privileges; idempotent. Run as the owner.

    Returns the statements run (for the command's report and the tests).
    """
    qn = connection.ops.quote_name
    r = qn(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
    s = qn(schema)
    statements = [
        f"GRANT CONNECT ON DATABASE {qn(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        # A clean slate first, so a table that became append-only loses what it had.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT {_DML} ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # Tables the owner creates later (the next migration) are usable at once;
        # the grants above run again after every migrate to narrow the append-only ones.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {_DML} ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    existing = set(connection.introspection.table_names())
    if "django_migrations" in existing:  # db_roles may run before the first migrate
        statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {qn('django_migrations')} FROM {r}")
    for table, clearable in sorted(append_only_tables().items()):
        if table not in existing:
            continue
        statements.append(f"REVOKE UPDATE, DELETE ON {qn(table)} FROM {r}")
        if clearable:
            statements.append(f"GRANT UPDATE ({', '.join(qn(c) for c in clearable)}) ON {qn(table)} TO {r}")
    # One transaction: the running application never sees the moment between REVOKE and GRANT.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return statements


def application_role_warnings(connection) -> list[str]:
    """Why the current login could remove audit rows (superuser, or owner of an append-only table)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            return [f"connects as the superuser {current_user(connection)!r}"]
        tables = list(append_only_tables())
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                       "AND tableowner = current_user AND tablename = ANY(%s)", [tables])
        owned = sorted(r[0] for r in cursor.fetchall())
    return [f"owns {', '.join(owned)}"] if owned else []
