"""The full-text table of the running backend (FTS5 on SQLite, tsvector on PostgreSQL) and the
default synonym groups from data/synonyms.txt."""

from pathlib import Path

from django.db import migrations


def _statements(vendor: str, create: bool) -> list[str]:
    if vendor == "postgresql":
        from quartier.search.backends import postgres as module
    else:
        from quartier.search.backends import sqlite as module
    return module.CREATE_SQL if create else module.DROP_SQL


def create_tables(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, True):
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, False):
        schema_editor.execute(statement)


def load_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    path = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms = " | ".join(term.strip() for term in line.split("|"))
            Synonym.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(create_tables, drop_tables),
        migrations.RunPython(load_synonyms, migrations.RunPython.noop),
    ]
