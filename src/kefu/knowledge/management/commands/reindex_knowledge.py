"""``kefu manage reindex_knowledge``: rebuild the knowledge search index.

Needed after restoring a backup taken without the index, after a migration
that rebuilt the index table on SQLite, or to recover from any doubt: it is
idempotent and runs in one transaction (searches see the old index until it
commits).
"""

from django.core.management.base import BaseCommand

from kefu.knowledge.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text index of knowledge articles and cases."

    def handle(self, *args, **options):
        counts = reindex_all()
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {counts['articles']} articles and {counts['cases']} cases."
        ))
