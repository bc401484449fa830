"""PostgreSQL only: the tsvector table loses its foreign key and gets triggers instead.

Databases migrated before this step have the foreign key, which breaks Django's flush (see
quartier/search/backends/postgres.py). SQLite is unchanged.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from quartier.search.backends import postgres

    schema_editor.execute(
        f"ALTER TABLE {postgres.TABLE} DROP CONSTRAINT IF EXISTS search_pg_document_id_fkey"
    )
    for statement in postgres.TRIGGER_SQL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_packed_facets")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
