"""On PostgreSQL the application's own role cannot remove or rewrite audit rows.

The triggers of migration 0002 stop UPDATE and DELETE, but an owner or a
superuser can switch triggers off, TRUNCATE, or replicate around them. Kefu
runs as a role made by ``kefu manage db_roles`` that owns nothing; these
tests connect as that role on the test database and try each way in.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from kefu.core import dbroles

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's (CI runs it)"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "kefu-test-app-role"
INSERT = """INSERT INTO audit_auditentry (at, actor_label, ip, channel, request_id, action, object_type,
    object_id, object_repr, changes, conditions, note) VALUES
    (now(), 'app', '', 'system', '', 'read', 'crm.customer', '1', 'x', '{}', '{}', '') RETURNING id"""


def _role() -> str:
    # Roles are cluster-wide: one per test database, so parallel runs do not share one.
    return f"{connection.settings_dict['NAME']}_app"[:63]


def _drop(role: str) -> None:
    q = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {q}")
        cursor.execute(f"DROP ROLE IF EXISTS {q}")


@pytest.fixture
def app_role():
    role = _role()
    if dbroles.role_exists(connection, role):
        _drop(role)
    call_command("db_roles", role=role, password=PASSWORD, verbosity=0)
    yield role
    dbroles.close_with_pool(connection)  # a test may have left the connection as someone else
    _drop(role)


def _connect(role: str):
    import psycopg

    params = connection.get_connection_params()
    keep = {k: params[k] for k in ("dbname", "host", "port") if params.get(k)}
    return psycopg.connect(**keep, user=role, password=PASSWORD, autocommit=True)


def _refused(conn, sql: str, params=()) -> str:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc, conn.cursor() as cursor:
        cursor.execute(sql, params)
    return str(exc.value)


def test_the_application_role_can_insert_and_read_but_never_remove_audit_rows(app_role):
    with _connect(app_role) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (app_role, False)
        cursor.execute(INSERT)
        entry_id = cursor.fetchone()[0]
        cursor.execute("SELECT object_type FROM audit_auditentry WHERE id = %s", [entry_id])
        assert cursor.fetchone() == ("crm.customer",)

        _refused(conn, "UPDATE audit_auditentry SET note = 'tampered' WHERE id = %s", [entry_id])
        _refused(conn, "DELETE FROM audit_auditentry WHERE id = %s", [entry_id])
        _refused(conn, "TRUNCATE audit_auditentry")
        assert "owner" in _refused(conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
        _refused(conn, "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_delete")
        _refused(conn, "SET session_replication_role = replica")
        _refused(conn, "DROP TABLE audit_auditentry")
        _refused(conn, "DROP TRIGGER audit_auditentry_no_update ON audit_auditentry")
        _refused(conn, "DELETE FROM audit_auditarchive")  # the record of archived months, append-only too
        _refused(conn, "UPDATE audit_auditarchive SET sha256 = ''")

        # A deleted person's entries lose the link (SET_NULL), which the triggers allow.
        cursor.execute("UPDATE audit_auditentry SET actor_id = NULL WHERE id = %s", [entry_id])
        cursor.execute("SELECT count(*) FROM audit_auditentry WHERE id = %s", [entry_id])
        assert cursor.fetchone() == (1,)


def test_the_application_role_uses_the_other_tables_normally(app_role):
    with _connect(app_role) as conn, conn.cursor() as cursor:
        cursor.execute("INSERT INTO django_session (session_key, session_data, expire_date) "
                       "VALUES ('k1', 'd', now())")
        cursor.execute("UPDATE django_session SET session_data = 'e' WHERE session_key = 'k1'")
        cursor.execute("DELETE FROM django_session WHERE session_key = 'k1'")
        cursor.execute("SELECT count(*) FROM crm_customer")
        cursor.execute("SELECT count(*) FROM django_migrations")
        _refused(conn, "DELETE FROM django_migrations")
        if connection.pg_version >= 150000:  # since 15, not every role may create tables in public
            _refused(conn, "CREATE TABLE kefu_sneaky (id int)")


def test_the_owner_is_refused_as_the_application_role():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="owner"):
        call_command("db_roles", role=dbroles.current_user(connection), verbosity=0)


def test_migrate_runs_as_the_owner_and_brings_the_grants_up_to_date(app_role, settings):
    """With DATABASE_URL as the application role and KEFU_MIGRATE_DATABASE_URL as the owner,
    ``migrate`` connects as the owner and the application role is back afterwards."""
    owner = dict(connection.settings_dict)
    seen = []

    def spy(**kwargs):
        seen.append(dbroles.current_user(connection))

    from django.db.models.signals import post_migrate

    settings.KEFU_MIGRATE_DATABASE_URL = (f"postgres://{owner['USER']}:{owner.get('PASSWORD') or ''}@"
                                          f"{owner.get('HOST') or '127.0.0.1'}:{owner.get('PORT') or 5432}/ignored")
    dbroles.close_with_pool(connection)
    connection.settings_dict.update(USER=app_role, PASSWORD=PASSWORD)
    post_migrate.connect(spy, dispatch_uid="test-owner-spy")
    try:
        assert dbroles.current_user(connection) == app_role
        call_command("migrate", verbosity=0)
        assert dbroles.current_user(connection) == app_role
    finally:
        post_migrate.disconnect(dispatch_uid="test-owner-spy")
        dbroles.close_with_pool(connection)
        connection.settings_dict.update(USER=owner["USER"], PASSWORD=owner.get("PASSWORD"))
    assert seen and set(seen) == {owner["USER"]}


def test_the_deploy_check_warns_about_a_superuser_or_owner_and_is_quiet_for_the_application_role(app_role):
    from kefu.core.checks import application_database_role

    assert [w.id for w in application_database_role()] == ["kefu.W001"]  # the suite runs as the owner
    owner = dict(connection.settings_dict)
    dbroles.close_with_pool(connection)
    connection.settings_dict.update(USER=app_role, PASSWORD=PASSWORD)
    try:
        assert application_database_role() == []
    finally:
        dbroles.close_with_pool(connection)
        connection.settings_dict.update(USER=owner["USER"], PASSWORD=owner.get("PASSWORD"))
