"""A log of changed search documents, written by triggers, that keeps each process's facet
bitmaps current (quartier/search/facetindex.py, docs/adr/0005-facet-bitmaps.md)."""

from django.db import migrations

SQLITE = [
    "CREATE TABLE IF NOT EXISTS search_change ("
    "seq INTEGER PRIMARY KEY AUTOINCREMENT, document_id INTEGER NULL)",
    "CREATE TRIGGER IF NOT EXISTS search_change_insert AFTER INSERT ON search_searchdocument "
    "BEGIN INSERT INTO search_change(document_id) VALUES (new.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_change_update AFTER UPDATE ON search_searchdocument "
    "BEGIN INSERT INTO search_change(document_id) VALUES (new.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_change_delete AFTER DELETE ON search_searchdocument "
    "BEGIN INSERT INTO search_change(document_id) VALUES (old.id); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_change_insert",
    "DROP TRIGGER IF EXISTS search_change_update",
    "DROP TRIGGER IF EXISTS search_change_delete",
    "DROP TABLE IF EXISTS search_change",
]
# The advisory lock (held to the end of the transaction) makes writers of search documents
# take their change numbers one transaction after the other, so numbers follow commit order.
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS search_change (seq bigserial PRIMARY KEY, document_id bigint NULL)",
    "CREATE OR REPLACE FUNCTION search_change_row() RETURNS trigger AS $$ BEGIN "
    "PERFORM pg_advisory_xact_lock(7205553000000000001); "
    "IF TG_OP = 'DELETE' THEN INSERT INTO search_change(document_id) VALUES (OLD.id); "
    "ELSE INSERT INTO search_change(document_id) VALUES (NEW.id); END IF; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_change_truncate() RETURNS trigger AS $$ BEGIN "
    "PERFORM pg_advisory_xact_lock(7205553000000000001); "
    "INSERT INTO search_change(document_id) VALUES (NULL); RETURN NULL; END; "
    "$$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS search_change_row ON search_searchdocument",
    "CREATE TRIGGER search_change_row AFTER INSERT OR UPDATE OR DELETE ON search_searchdocument "
    "FOR EACH ROW EXECUTE FUNCTION search_change_row()",
    "DROP TRIGGER IF EXISTS search_change_truncate ON search_searchdocument",
    "CREATE TRIGGER search_change_truncate AFTER TRUNCATE ON search_searchdocument "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_change_truncate()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS search_change_row ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_change_truncate ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_change_row()",
    "DROP FUNCTION IF EXISTS search_change_truncate()",
    "DROP TABLE IF EXISTS search_change",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)
    # Documents indexed before this migration count as one change: processes load in full.
    schema_editor.execute("INSERT INTO search_change(document_id) VALUES (NULL)")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_pg_index_without_foreign_key")]

    operations = [migrations.RunPython(create, drop)]
