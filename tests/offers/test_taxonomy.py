import csv
import json

from django.core.management import call_command

from quartier.offers.models import Language, TargetGroup, Taxonomy, TaxonomyTerm, TermMapping
from quartier.offers.taxonomy import (
    DATA_DIR,
    EXCHANGE_TAXONOMY,
    SOCIAL_SPACE_TAXONOMY,
    load_vocabularies,
)


def _codes(entries):
    for entry in entries:
        yield entry["code"]
        yield from _codes(entry.get("children", []))


def test_every_term_of_our_taxonomy_is_mapped_to_an_exchange_term():
    ours = json.loads((DATA_DIR / "taxonomy_sozialraum.json").read_text(encoding="utf-8"))
    theirs = json.loads((DATA_DIR / "taxonomy_exchange.json").read_text(encoding="utf-8"))
    with (DATA_DIR / "term_mapping.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    our_codes, their_codes = set(_codes(ours["terms"])), set(_codes(theirs["terms"]))
    mapped = {row["source"] for row in rows}
    assert our_codes == mapped
    assert {row["target"] for row in rows} <= their_codes
    assert {row["relation"] for row in rows} <= {"exact", "broader", "narrower", "related"}


def test_loading_twice_creates_nothing_new(db):
    first = load_vocabularies()
    counts = (
        TaxonomyTerm.objects.count(),
        TermMapping.objects.count(),
        TargetGroup.objects.count(),
        Language.objects.count(),
    )
    call_command("load_taxonomy", verbosity=0)
    assert not first.problems
    assert counts == (
        TaxonomyTerm.objects.count(),
        TermMapping.objects.count(),
        TargetGroup.objects.count(),
        Language.objects.count(),
    )
    assert Taxonomy.objects.filter(slug__in=[SOCIAL_SPACE_TAXONOMY, EXCHANGE_TAXONOMY]).count() == 2


def test_taxonomy_is_hierarchical_and_names_its_legal_basis(db):
    load_vocabularies()
    term = TaxonomyTerm.objects.get(taxonomy__slug=SOCIAL_SPACE_TAXONOMY, code="erziehungsberatung")
    assert term.parent.code == "hilfen-zur-erziehung"
    assert term.legal_basis == "§ 28 SGB VIII"
    assert term.mappings_out.get().target.code == "family.parenting"
    assert TargetGroup.objects.get(slug="kinder-3-6").min_age == 3
