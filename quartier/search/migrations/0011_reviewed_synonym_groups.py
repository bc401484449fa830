"""The reviewed synonym groups of data/synonyms.txt (issue #17): a few hundred groups with
their source noted (the section of the file a group stands in becomes its note).

A group of the file that the table lacks is added. A default group of the earlier list that
the file now extends (same first term, more terms) is updated where it still reads as it was
shipped; a group an admin has changed is left as it is. On a new database 0002 has loaded the
file as it is now, and this adds the notes and removes the groups as 0006 shipped them (it
adds them again from its own list).
"""

from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"
# The groups as 0002 and 0006 shipped them, which this file extends.
SHIPPED = [
    "Kita | Kindertagesstätte | Kindergarten | Kinderkrippe",
    "ASD | Allgemeiner Sozialer Dienst",
    "KJHG | SGB VIII | Kinder- und Jugendhilfe",
    "Jugendtreff | Jugendzentrum | Jugendclub | JUZ",
    "Schuldnerberatung | Schuldenberatung | Insolvenzberatung",
    "Migrationsberatung | MBE | Migrationsdienst",
    "Hausaufgabenhilfe | Hausaufgabenbetreuung | Lernhilfe | Nachhilfe",
    "Seniorentreff | Seniorenbegegnung | Altentreff",
    "Suchtberatung | Drogenberatung",
    "Schwangerschaftsberatung | Schwangerenberatung",
    "Alleinerziehende | Alleinerziehend | Einelternfamilie",
    "Mittagstisch | Mittagessen",
    "Frühe Hilfen | Familienhebamme | Hilfen rund um die Geburt",
    "Jobcenter | Arbeitsamt | Agentur für Arbeit",
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


def groups_of_file() -> list[tuple[str, str]]:
    """(terms, note) of every group in the file; the note is the section's heading."""
    found = []
    note = ""
    for line in FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("# ---"):
            note = line.strip("#- ").strip()[:200]
        elif line and not line.startswith("#"):
            found.append((" | ".join(term.strip() for term in line.split("|")), note))
    return found


def first_term(terms: str) -> str:
    return terms.split("|")[0].strip().casefold()


def add_groups(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    shipped = {first_term(terms): terms for terms in SHIPPED}
    for terms, note in groups_of_file():
        before = shipped.get(first_term(terms), terms)
        row = Synonym.objects.filter(terms=terms).first()
        if row is None and before != terms:
            row = Synonym.objects.filter(terms=before).first()
            if row is not None:
                row.terms = terms
        if row is None:
            row = Synonym(terms=terms)
        if not row.note:
            row.note = note
        row.save()
        if before != terms:
            # The group as shipped, now extended (on a new database 0006 added it again).
            Synonym.objects.filter(terms=before).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0010_pg_postings")]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
