from hypothesis import given
from hypothesis import strategies as st

from quartier.search import analysis


def test_fold_maps_umlauts_digraphs_and_sharp_s():
    assert analysis.fold("Familienbüro") == analysis.fold("Familienbuero") == "familienburo"
    assert analysis.fold("Straße") == "strasse"
    assert analysis.fold("Café") == "cafe"


def test_plural_and_singular_share_a_stem():
    assert analysis.phrase("Beratungen") == analysis.phrase("Beratung")
    assert analysis.phrase("Hilfen") == analysis.phrase("Hilfe")


def test_compound_is_indexed_under_its_parts():
    tokens = analysis.index_tokens("Erziehungsberatung")
    assert analysis.stem("beratung") in tokens
    assert analysis.stem("erziehung") in tokens
    assert analysis.stem("erziehungsberatung") in tokens


def test_short_words_are_not_split():
    assert analysis.split_compound("haus") is None
    assert analysis.split_compound("kurs") is None


def test_stopwords_and_operators_are_dropped():
    parsed = analysis.parse_query('Beratung AND "für" Familien OR NEAR(')
    assert [term.text for term in parsed.terms] == ["beratung", "familien"]


def test_long_queries_are_truncated_and_flagged():
    parsed = analysis.parse_query("wort " * 100)
    assert parsed.truncated
    assert len(parsed.terms) <= analysis.MAX_QUERY_TERMS


def test_synonyms_become_alternatives():
    synonyms = {"kita": [analysis.phrase("Kindertagesstätte")]}
    (term,) = analysis.parse_query("Kita", synonyms).terms
    assert ("kindertagesstatt",) in term.alternatives


@given(st.text(max_size=500))
def test_any_text_parses_into_plain_word_tokens(text):
    parsed = analysis.parse_query(text)
    for term in parsed.terms:
        for alternative in term.alternatives:
            for token in alternative:
                assert token and all(ch.isalnum() or ch == "_" for ch in token)
                assert '"' not in token and "'" not in token
