"""``kefu manage sync_permissions``: copy the code-declared permission tree to the database.

It also runs after every ``migrate``; run it by hand after deploying code
that adds or removes permission nodes without a migration.
"""

from django.core.management.base import BaseCommand

from kefu.iam.services.permission_tree import permission_tree_sync


class Command(BaseCommand):
    help = "Sync the permission tree declared in each app's permissions.py into the database."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias to sync (default: default).")

    def handle(self, *args, **options):
        result = permission_tree_sync(using=options["database"])
        self.stdout.write(
            self.style.SUCCESS(
                "Permission tree synced: {created} created, {updated} updated, {retired} retired.".format(**result)
            )
        )
