"""PostgreSQL: the posting table and the documents' lengths from which one-term searches
compute bm25 (backends/postgres.py, ADR 0008), filled from the tsvectors already indexed, and
the triggers that keep the table in step. SQLite: nothing."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from quartier.search import bm25
    from quartier.search.backends import postgres

    for statement in [*postgres.POSTINGS_SQL, *postgres.TRIGGER_SQL]:
        schema_editor.execute(statement)
    insert, update = postgres.BACKFILL_SQL
    schema_editor.execute(insert, list(bm25.WEIGHTS))
    schema_editor.execute(update)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from quartier.search.backends import postgres

    schema_editor.execute(f"DROP TABLE IF EXISTS {postgres.POSTINGS}")
    schema_editor.execute(f"ALTER TABLE {postgres.TABLE} DROP COLUMN IF EXISTS tokens")
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION search_pg_delete_row() RETURNS trigger AS $$ "
        f"BEGIN DELETE FROM {postgres.TABLE} WHERE document_id = OLD.id; RETURN OLD; END; "
        "$$ LANGUAGE plpgsql"
    )
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION search_pg_truncate() RETURNS trigger AS $$ "
        f"BEGIN TRUNCATE {postgres.TABLE}; RETURN NULL; END; $$ LANGUAGE plpgsql"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0009_fts_instance_table")]

    operations = [migrations.RunPython(create, drop)]
