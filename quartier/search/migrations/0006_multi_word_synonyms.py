"""Synonym groups with multi-word terms, added to data/synonyms.txt after 0002 had loaded it.

A new database gets them from 0002 already (it reads the file as it is now); get_or_create
keeps this idempotent there. A group an admin has changed or deleted is left as it is.
"""

from django.db import migrations

ADDED = [
    "Hilfen zur Erziehung | HzE",
    "Sozialpädagogische Familienhilfe | SPFH",
    "Erziehungsberatung | Erziehungsberatungsstelle | "
    "Beratungsstelle für Eltern, Kinder und Jugendliche",
    "Schulsozialarbeit | Sozialarbeit an Schulen",
    "Offene Ganztagsschule | Offener Ganztag | OGS",
    "Bildung und Teilhabe | BuT | Bildungspaket",
    "Deutsch als Zweitsprache | DaZ",
    "Pflegestützpunkt | Pflegeberatung",
]
EXTENDED = {  # old text -> new text
    "Frühe Hilfen | Familienhebamme": "Frühe Hilfen | Familienhebamme | Hilfen rund um die Geburt",
}


def add_groups(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for old, new in EXTENDED.items():
        if not Synonym.objects.filter(terms=new).exists():
            Synonym.objects.filter(terms=old).update(terms=new)
    for terms in ADDED:
        Synonym.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_change_log")]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
