"""``migrate`` as the schema owner when ``KEFU_MIGRATE_DATABASE_URL`` is set.

Django's own command, run on a connection that logs in as the owner for the
length of the run; afterwards the application role (``DATABASE_URL``'s user)
gets its privileges on the new tables, narrowed on the append-only ones
(see ``kefu.core.dbroles``). Without a migration URL it is Django's migrate.
"""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from kefu.core import dbroles


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        alias = options["database"]
        with dbroles.as_owner(alias) as app:
            super().handle(*args, **options)
            if app is None:
                return
            connection = connections[alias]
            role = app["USER"]
            if role and role != dbroles.current_user(connection) and dbroles.role_exists(connection, role):
                dbroles.application_role_grant(connection, role)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Privileges of the application role {role} brought up to date.")
            elif options["verbosity"] >= 1:
                self.stdout.write(self.style.WARNING(
                    f"The application role {role!r} does not exist yet: run `kefu manage db_roles`."))
