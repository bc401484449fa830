"""Synonym groups work in every direction, for single words and phrases, on both backends.

Run on PostgreSQL with DATABASE_URL=postgres://... (see README); the same tests must pass there.
"""

import importlib

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.search import analysis
from quartier.search.backends import get_backend
from quartier.search.models import Synonym, synonym_map
from quartier.search.services import search_offers
from tests.factories.offers import OfferFactory

GROUPS = [
    "ASD | Allgemeiner Sozialer Dienst",
    "Frühe Hilfen | Familienhebamme | Hilfen rund um die Geburt",
    "Hilfen zur Erziehung | HzE",
    "Schulsozialarbeit | Sozialarbeit an Schulen",
    "Erziehungsberatung | Beratungsstelle für Eltern, Kinder und Jugendliche",
]


def names(result):
    return {hit.offer.name for hit in result.hits}


@pytest.fixture
def offers(db):
    Synonym.objects.all().delete()  # only these groups, not the shipped ones
    for terms in GROUPS:
        Synonym.objects.create(terms=terms)
    made = [
        ("ASD Nord", "Der ASD im Jugendamt berät Familien."),
        ("Allgemeiner Sozialer Dienst Süd", "Ansprechpartner für Familien im Jugendamt."),
        ("Sozialer Treff", "Ein allgemeiner Treffpunkt, ein Dienst der Gemeinde."),
        ("Netzwerk Frühe Hilfen", "Unterstützung für Familien mit Babys."),
        ("Hebammenzentrum", "Hilfen rund um die Geburt für werdende Eltern."),
        ("Familienhebammen-Sprechstunde", "Beratung für junge Eltern."),
        ("Sozialarbeit an Schulen", "Ansprechpartnerin an drei Grundschulen."),
        ("Schulsozialarbeit am Gymnasium", "Offene Sprechstunde."),
        ("Beratungsstelle für Eltern, Kinder und Jugendliche", "Beratung in Familienfragen."),
        ("Erziehungsberatung im Haus der Familie", "Termine nach Vereinbarung."),
    ]
    return {name: OfferFactory(name=name, description=text) for name, text in made}


def test_a_word_finds_offers_that_use_the_phrase(offers):
    assert names(search_offers(query="ASD")) == {"ASD Nord", "Allgemeiner Sozialer Dienst Süd"}


def test_the_phrase_finds_offers_that_use_the_word(offers):
    found = {"ASD Nord", "Allgemeiner Sozialer Dienst Süd"}
    assert names(search_offers(query="Allgemeiner Sozialer Dienst")) == found
    assert names(search_offers(query="allgemeinen sozialen Dienstes")) == found


def test_a_recognised_phrase_needs_its_words_together(offers):
    # "Sozialer Treff" has all three words, but not as the phrase.
    assert "Sozialer Treff" not in names(search_offers(query="Allgemeiner Sozialer Dienst"))
    # Words that are not a synonym term are still found anywhere in the offer.
    assert names(search_offers(query="Treffpunkt Dienst sozial")) == {"Sozialer Treff"}


def test_two_phrases_of_one_group_find_each_other(offers):
    births = {"Netzwerk Frühe Hilfen", "Hebammenzentrum", "Familienhebammen-Sprechstunde"}
    assert names(search_offers(query="Hilfen rund um die Geburt")) == births
    assert names(search_offers(query="frühe Hilfe")) == births
    assert names(search_offers(query="Familienhebamme")) == births


def test_other_words_of_the_query_still_narrow_the_result(offers):
    assert names(search_offers(query="Allgemeiner Sozialer Dienst Nord")) == {"ASD Nord"}
    assert names(search_offers(query="ASD Süd")) == {"Allgemeiner Sozialer Dienst Süd"}
    assert names(search_offers(query="Frühe Hilfen Babys")) == {"Netzwerk Frühe Hilfen"}


def test_a_phrase_with_a_compound_inside_matches_the_index(offers):
    # "Sozialarbeit" is indexed with its parts after it: sozialarbeit sozial arbeit schul.
    schools = {"Sozialarbeit an Schulen", "Schulsozialarbeit am Gymnasium"}
    assert names(search_offers(query="Schulsozialarbeit")) == schools
    assert names(search_offers(query="Sozialarbeit an Schulen")) == schools


def test_a_term_with_punctuation_is_found_either_way(offers):
    counselling = {
        "Beratungsstelle für Eltern, Kinder und Jugendliche",
        "Erziehungsberatung im Haus der Familie",
    }
    assert names(search_offers(query="Erziehungsberatung")) == counselling
    assert names(search_offers(query="Beratungsstelle für Eltern, Kinder und Jugendliche")) == (
        counselling
    )
    assert names(search_offers(query="Beratungsstelle Eltern Kinder Jugendliche")) == counselling


def test_a_phrase_across_punctuation_is_still_the_phrase(offers):
    found = {"ASD Nord", "Allgemeiner Sozialer Dienst Süd"}
    assert names(search_offers(query='"Allgemeiner, Sozialer -- Dienst" AND (')) == found


def test_repeated_phrases_search_once(offers):
    result = search_offers(query="ASD Allgemeiner Sozialer Dienst ASD allgemeinen sozialen Dienst")
    assert names(result) == {"ASD Nord", "Allgemeiner Sozialer Dienst Süd"}
    assert not result.notices


def test_thirty_words_are_cut_and_said_without_failing(offers):
    query = "Allgemeiner Sozialer Dienst " + " ".join(f"wort{n}" for n in range(30))
    result = search_offers(query=query)
    assert result.notices
    assert result.total == 0
    result = search_offers(query="Allgemeiner Sozialer Dienst " + "Familien " * 30)
    assert result.notices  # longer than 200 characters
    assert names(result) == {"ASD Nord", "Allgemeiner Sozialer Dienst Süd"}


def test_typo_next_to_a_phrase_is_corrected(offers):
    result = search_offers(query="Allgemeiner Sozialer Dienst Nortd")
    assert names(result) == {"ASD Nord"}
    assert result.corrected_query == "allgemeiner sozialer dienst nord"


def test_typo_next_to_a_phrase_none_of_whose_words_is_indexed(offers):
    offers["Allgemeiner Sozialer Dienst Süd"].delete()
    result = search_offers(query="Allgemeiner Sozialer Dienst Nortd")
    assert names(result) == {"ASD Nord"}
    assert result.corrected_query


def test_synonym_map_reads_the_table_once_and_keys_every_term(offers, django_assert_num_queries):
    with django_assert_num_queries(1):
        mapping = synonym_map()
    assert mapping["asd"] == mapping["allgemein sozial dien"]
    assert ("asd",) in mapping["allgemein sozial dien"]
    assert ("fruh", "hilf") in mapping["hilf rund geburt"]
    Synonym.objects.filter(terms__startswith="ASD").delete()
    assert "asd" not in synonym_map()


def test_admins_add_a_multi_word_group(offers):
    assert search_offers(query="Jugendamt Außenstelle").total == 0
    Synonym.objects.create(terms="Jugendamt Außenstelle | ASD Nord")
    assert names(search_offers(query="Jugendamt Außenstelle")) == {"ASD Nord"}


@pytest.mark.parametrize(
    "groups",
    [
        ["Frühe Hilfen | Familienhebamme", "Hilfen zur Erziehung | HzE"],
        ["Hilfen zur Erziehung | HzE", "Frühe Hilfen | Familienhebamme"],
    ],
)
def test_overlapping_phrases_give_the_same_result_whatever_the_group_order(db, groups):
    Synonym.objects.all().delete()
    for terms in groups:
        Synonym.objects.create(terms=terms)
    OfferFactory(name="Familienhebamme", description="Erziehung und Pflege des Babys.")
    OfferFactory(name="HzE-Team", description="Frühe Förderung.")
    # "Frühe Hilfen" wins over "Hilfen zur Erziehung" (same length, further left).
    assert names(search_offers(query="Frühe Hilfen zur Erziehung")) == {"Familienhebamme"}


def test_the_shipped_groups_include_multi_word_terms_both_ways(db):
    OfferFactory(name="Jobcenter Trier-Stadt", description="Leistungen nach dem SGB II.")
    OfferFactory(name="Netzwerk Frühe Hilfen", description="Für Familien mit Babys.")
    assert names(search_offers(query="Agentur für Arbeit")) == {"Jobcenter Trier-Stadt"}
    assert names(search_offers(query="Hilfen rund um die Geburt")) == {"Netzwerk Frühe Hilfen"}


EXPRESSIONS = [
    "Allgemeiner Sozialer Dienst",
    "ASD ASD asd",
    '"Frühe" Hilfen\' rund um die Geburt',
    "Sozialarbeit an Schulen Jugendhilfe Trier",
    "'; DROP TABLE search_fts; -- ASD",
    "NEAR(Allgemeiner Sozialer) OR Dienst*",
    "Straße Ärger Œuvre ǅ x² ١٢٣ Müll",
    " ".join(["Allgemeiner Sozialer Dienst"] * 20),
]


def _count(parsed):
    sql, params = get_backend().match_sql(parsed)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) m", params)
        return cursor.fetchone()[0]


@pytest.mark.parametrize("query", EXPRESSIONS)
def test_the_database_accepts_every_expression(offers, query):
    parsed = analysis.parse_query(query, synonym_map())
    # At most one row per offer (no join multiplies them); the first two find their offers.
    assert _count(parsed) <= len(offers)
    if query in EXPRESSIONS[:2]:
        assert _count(parsed) >= 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(["Allgemeiner", "Sozialer", "Dienst", "ASD", "Frühe", "Hilfen", ",", '"'])
        | st.text(max_size=10),
        max_size=30,
    )
)
def test_the_database_accepts_any_query(offers, pieces):
    parsed = analysis.parse_query(" ".join(pieces), synonym_map())
    if not parsed.is_empty:
        assert _count(parsed) <= len(offers)


def _shipped_groups():
    lines = (analysis.DATA_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines()
    return [
        " | ".join(term.strip() for term in line.split("|"))
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def test_the_data_migration_adds_the_new_groups_once(db):
    from django.apps import apps

    migration = importlib.import_module("quartier.search.migrations.0006_multi_word_synonyms")
    shipped = _shipped_groups()
    # Each group 0006 added is in the file, as it was or extended (0011 brings the extension).
    first_terms = {terms.split(" | ")[0] for terms in shipped}
    for terms in [*migration.ADDED, *migration.EXTENDED.values()]:
        assert terms.split(" | ")[0] in first_terms
    # A database from before: the old Frühe Hilfen group, one new group missing, one changed
    # by an admin.
    Synonym.objects.filter(terms__startswith="Frühe Hilfen").update(
        terms="Frühe Hilfen | Familienhebamme"
    )
    Synonym.objects.filter(terms="Hilfen zur Erziehung | HzE").delete()
    Synonym.objects.filter(terms__startswith="Pflegestützpunkt").update(
        terms="Pflegestützpunkt | Pflegeberatung | Pflegehilfe"
    )
    migration.add_groups(apps, None)
    migration.add_groups(apps, None)
    rows = list(Synonym.objects.values_list("terms", flat=True))
    assert len(rows) == len(set(rows))
    assert "Frühe Hilfen | Familienhebamme | Hilfen rund um die Geburt" in rows
    assert "Frühe Hilfen | Familienhebamme" not in rows
    assert "Hilfen zur Erziehung | HzE" in rows
    assert "Pflegestützpunkt | Pflegeberatung | Pflegehilfe" in rows


def test_a_new_database_has_every_shipped_group_once(db):
    rows = list(Synonym.objects.values_list("terms", flat=True))
    assert sorted(rows) == sorted(_shipped_groups())
