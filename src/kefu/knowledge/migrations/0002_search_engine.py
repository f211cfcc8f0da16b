"""Engine structures of knowledge search: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

Written as RunPython so that each engine gets its own SQL (the statements live
in ``kefu.knowledge.search.backend`` and are also used to repair the index).
NOTE for later migrations: if one rebuilds ``knowledge_searchentry`` on SQLite
(Django copies the table), the triggers are lost; run
``kefu manage reindex_knowledge``, which recreates them.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from kefu.knowledge.search import backend

    backend.create_schema(schema_editor.connection)


def backwards(apps, schema_editor):
    from kefu.knowledge.search import backend

    backend.drop_schema(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
