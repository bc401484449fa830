"""SQLite: the fts5vocab instance table over search_fts, from which the search computes FTS5's
bm25 scores without FTS5 ranking row by row (backends/sqlite.py, ADR 0008). PostgreSQL: nothing."""

from django.db import migrations


def create_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from quartier.search.backends.sqlite import VOCABULARY_SQL

        for statement in VOCABULARY_SQL:
            schema_editor.execute(statement)


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from quartier.search.backends.sqlite import INSTANCES

        schema_editor.execute(f"DROP TABLE IF EXISTS {INSTANCES}")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_document_name_index")]

    operations = [migrations.RunPython(create_table, drop_table)]
