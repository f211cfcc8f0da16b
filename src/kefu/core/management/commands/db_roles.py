"""Create or update the application's PostgreSQL role and its privileges.

Run as the owner: with ``KEFU_MIGRATE_DATABASE_URL`` set, the role and its
password are ``DATABASE_URL``'s user and password; without it, name them with
``--role`` (and ``--password``) while ``DATABASE_URL`` is the owner.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from kefu.core import dbroles


class Command(BaseCommand):
    help = ("Create or update the application's PostgreSQL role: DML on the tables, only SELECT/INSERT on "
            "the audit log, nothing owned. Run as the schema owner.")

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--role", default="", help="role name (default: the user of DATABASE_URL)")
        parser.add_argument("--password", default="", help="its password (default: that of DATABASE_URL)")

    def handle(self, *args, database, role, password, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; this database is "
                               f"{connection.vendor}.")
        with dbroles.as_owner(database) as app:
            if app is not None:
                role = role or app["USER"] or ""
                password = password or app["PASSWORD"] or ""
            if not role:
                raise CommandError("Name the application role: set KEFU_MIGRATE_DATABASE_URL (the owner) and "
                                   "DATABASE_URL (the application), or pass --role.")
            owner = dbroles.current_user(connection)
            if role == owner:
                raise CommandError(f"The application must not connect as the owner {owner!r}: give DATABASE_URL "
                                   "another user, and KEFU_MIGRATE_DATABASE_URL the owner.")
            created = dbroles.application_role_ensure(connection, role, password or None)
            statements = dbroles.application_role_grant(connection, role)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{'Created' if created else 'Updated'} role {role} (owner: {owner}).")
            if options["verbosity"] >= 2:
                for sql in statements:
                    self.stdout.write(f"  {sql}")
            tables = ", ".join(sorted(dbroles.append_only_tables())) or "none"
            self.stdout.write(f"Append-only for {role}: {tables}.")
