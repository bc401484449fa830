import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from quartier.search import analysis
from quartier.search.backends.postgres import tsquery_expression
from quartier.search.backends.sqlite import fts_expression

GROUPS = [
    ["Kita", "Kindertagesstätte"],
    ["ASD", "Allgemeiner Sozialer Dienst"],
    ["Sozialer Dienst", "Sozialdienst"],
    ["Frühe Hilfen", "Familienhebamme", "Hilfen rund um die Geburt"],
    ["Hilfen zur Erziehung", "HzE"],
    ["Schulsozialarbeit", "Sozialarbeit an Schulen"],
    ["Erziehungsberatung", "Beratungsstelle für Eltern, Kinder und Jugendliche"],
]
SYNONYMS = analysis.build_synonym_map(GROUPS)


def texts(query, synonyms=SYNONYMS):
    return [term.text for term in analysis.parse_query(query, synonyms).terms]


def alternatives(query, synonyms=SYNONYMS):
    return [set(term.alternatives) for term in analysis.parse_query(query, synonyms).terms]


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
    (term,) = analysis.parse_query("Kindertagesstätte", SYNONYMS).terms
    # The compound itself, its parts written apart (both orders), then its synonyms.
    assert term.alternatives == (
        ("kindertagesstatt",),
        ("kindertag", "statt"),
        ("statt", "kindertag"),
        ("kita",),
    )


def test_a_word_finds_the_phrase_of_its_group():
    (term,) = analysis.parse_query("ASD", SYNONYMS).terms
    assert term.alternatives == (("asd",), ("allgemein", "sozial", "dien"))


def test_a_phrase_in_the_query_becomes_one_term_that_finds_its_group():
    (term,) = analysis.parse_query("Allgemeiner Sozialer Dienst", SYNONYMS).terms
    assert term.text == "allgemeiner sozialer dienst"
    assert term.alternatives == (("allgemein", "sozial", "dien"), ("asd",))


def test_an_inflected_phrase_is_recognised_by_its_stems():
    assert alternatives("Allgemeinen Sozialen Dienstes") == [
        {("allgemein", "sozial", "dien"), ("asd",)}
    ]


def test_two_phrases_of_one_group_find_each_other():
    (term,) = analysis.parse_query("Hilfen rund um die Geburt", SYNONYMS).terms
    assert term.alternatives[0] == ("hilf", "rund", "geburt")
    assert set(term.alternatives[1:]) == {
        ("fruh", "hilf"),
        ("familienhebamm",),
        ("famili", "hebamm"),  # the compound written apart, in both orders
        ("hebamm", "famili"),
    }
    (term,) = analysis.parse_query("frühe Hilfe", SYNONYMS).terms
    assert ("hilf", "rund", "geburt") in term.alternatives


def test_other_words_around_a_phrase_stay_ordinary_terms():
    parsed = analysis.parse_query("Beratung beim Allgemeinen Sozialen Dienst in Trier", SYNONYMS)
    assert [term.text for term in parsed.terms] == [
        "beratung",
        "beim",
        "allgemeinen sozialen dienst",
        "trier",
    ]
    assert parsed.terms[0].alternatives == (("berat",),)
    assert parsed.terms[3].alternatives == (("trier",),)


def test_the_longest_phrase_wins():
    # "Sozialer Dienst" is a term of its own, but inside "Allgemeiner Sozialer Dienst".
    assert texts("Allgemeiner Sozialer Dienst") == ["allgemeiner sozialer dienst"]
    assert texts("Sozialer Dienst") == ["sozialer dienst"]
    # A longer phrase that starts later beats a shorter one that starts earlier.
    assert texts("Frühe Hilfen rund um die Geburt") == ["fruhe", "hilfen rund geburt"]


def test_overlapping_phrases_of_equal_length_go_to_the_leftmost():
    assert texts("Frühe Hilfen zur Erziehung") == ["fruhe hilfen", "erziehung"]
    assert texts("Hilfen zur Erziehung frühe Hilfen") == ["hilfen erziehung", "fruhe hilfen"]


def test_the_order_of_the_groups_does_not_change_the_terms():
    reverse = analysis.build_synonym_map(list(reversed(GROUPS)))
    for query in ["Frühe Hilfen zur Erziehung", "Allgemeiner Sozialer Dienst Kita", "HzE"]:
        assert texts(query, reverse) == texts(query)
        assert alternatives(query, reverse) == alternatives(query)


def test_a_query_of_only_a_synonym_phrase_is_one_term():
    parsed = analysis.parse_query("  Sozialarbeit an Schulen  ", SYNONYMS)
    assert len(parsed.terms) == 1
    assert not parsed.truncated


def test_repeated_phrases_and_their_synonyms_collapse_into_one_term():
    query = "ASD Allgemeiner Sozialer Dienst asd allgemeinen sozialen Dienstes"
    assert alternatives(query) == [{("asd",), ("allgemein", "sozial", "dien")}]
    # Singular and plural are one word ("Kitas" is "Kita"), and so one term.
    assert len(analysis.parse_query("Kita Kindertagesstätte Kitas", SYNONYMS).terms) == 1


def test_punctuation_between_words_does_not_break_a_phrase():
    # The index ignores punctuation too: "Allgemeiner, Sozialer Dienst" is that phrase there.
    for query in ['"Allgemeiner, Sozialer - Dienst!"', "(Allgemeiner) AND Sozialer* Dienst"]:
        assert texts(query) == ["allgemeiner sozialer dienst"]
    (term,) = analysis.parse_query("Beratungsstelle für Eltern Kinder Jugendliche", SYNONYMS).terms
    assert ("erziehungsberat",) in term.alternatives


def test_a_phrase_counts_as_one_term_for_the_limit():
    filler = " ".join(f"wort{n}" for n in range(analysis.MAX_QUERY_TERMS - 1))
    parsed = analysis.parse_query(f"{filler} Allgemeiner Sozialer Dienst", SYNONYMS)
    assert len(parsed.terms) == analysis.MAX_QUERY_TERMS
    assert parsed.terms[-1].text == "allgemeiner sozialer dienst"
    assert not parsed.truncated


def test_thirty_words_are_cut_to_the_term_limit_and_flagged():
    words = [f"wort{n}" for n in range(30)]
    parsed = analysis.parse_query("Allgemeiner Sozialer Dienst " + " ".join(words), SYNONYMS)
    assert parsed.truncated
    assert len(parsed.terms) == analysis.MAX_QUERY_TERMS
    assert parsed.terms[0].text == "allgemeiner sozialer dienst"
    assert parsed.terms[-1].text == "wort6"


def test_a_phrase_cut_by_the_character_limit_falls_back_to_words():
    query = (
        "x" * (analysis.MAX_QUERY_CHARS - len("Allgemeiner Sozialer "))
        + " Allgemeiner Sozialer Dienst"
    )
    parsed = analysis.parse_query(query, SYNONYMS)
    assert parsed.truncated
    assert [term.text for term in parsed.terms][-2:] == ["allgemeiner", "sozialer"]


def test_repeated_words_are_not_truncation():
    parsed = analysis.parse_query("Kita " * 20, SYNONYMS)
    assert len(parsed.terms) == 1
    assert not parsed.truncated


def test_a_phrase_brings_the_compound_parts_the_index_puts_after_a_word():
    assert analysis.phrase("Jugendhilfe Trier") == ("jugendhilf", "jugend", "hilf", "trier")
    assert analysis.phrase("Sozialarbeit an Schulen") == tuple(
        analysis.index_tokens("Sozialarbeit an Schulen")[:4]
    )
    # A single word stays one token, and the first token of a term is a word's stem: the
    # typo fallback looks it up in the vocabulary.
    assert analysis.phrase("Schulsozialarbeit") == ("schulsozialarbeit",)
    (term,) = analysis.parse_query("Sozialarbeit an Schulen", SYNONYMS).terms
    assert term.alternatives[0][0] == analysis.stem("sozialarbeit")


def test_synonym_map_keys_every_term_of_a_group():
    assert SYNONYMS["asd"] == SYNONYMS["allgemein sozial dien"]
    assert set(SYNONYMS["fruh hilf"]) == {
        ("fruh", "hilf"),
        ("familienhebamm",),
        ("famili", "hebamm"),
        ("hebamm", "famili"),
        ("hilf", "rund", "geburt"),
    }
    assert SYNONYMS["familienhebamm"] == SYNONYMS["hilf rund geburt"] == SYNONYMS["fruh hilf"]


def test_synonym_map_merges_groups_and_skips_empty_ones():
    mapping = analysis.build_synonym_map(
        [["Kita", "Krippe"], ["Kita", "Kindergarten"], ["und", "die"], ["Hort"], ["Hort", "Horte"]]
    )
    # A compound term is found written apart too ("Garten für Kinder" does not exist, but
    # "Beratung für Schuldner" does): its parts as phrases, in both orders.
    assert mapping["kita"] == [
        ("kita",),
        ("kripp",),
        ("kindergart",),
        ("kind", "gart"),
        ("gart", "kind"),
    ]
    assert mapping["kripp"] == [("kita",), ("kripp",)]
    assert "und" not in mapping and "" not in mapping and "hort" not in mapping


def _fts5_accepts(expression: str) -> None:
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
        )
        db.execute(
            "INSERT INTO t(body) VALUES (?)", [analysis.index_text("Allgemeiner Sozialer Dienst")]
        )
        db.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()
    finally:
        db.close()


def test_fts5_finds_the_phrase_and_its_synonym():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    for text in ["Der ASD berät", "Allgemeiner Sozialer Dienst Trier", "Dienst, allgemein sozial"]:
        db.execute("INSERT INTO t(body) VALUES (?)", [analysis.index_text(text)])

    def found(query):
        expression = fts_expression(analysis.parse_query(query, SYNONYMS))
        return {row for (row,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression])}

    assert found("ASD") == {1, 2}
    assert found("Allgemeinen Sozialen Dienst") == {1, 2}
    assert found("Allgemeiner Sozialer Dienst Trier") == {2}


def test_expressions_quote_phrases():
    parsed = analysis.parse_query("ASD Trier", SYNONYMS)
    assert fts_expression(parsed) == '("asd" OR "allgemein sozial dien") AND ("trier")'
    assert tsquery_expression(parsed) == (
        "(('asd') | ('allgemein' <-> 'sozial' <-> 'dien')) & (('trier'))"
    )


QUERY_PIECES = st.sampled_from(
    [
        "Allgemeiner",
        "Sozialer",
        "Dienst",
        "ASD",
        "Frühe",
        "Hilfen",
        "zur",
        "Erziehung",
        "rund",
        "um",
        "die",
        "Geburt",
        "Kita",
        ",",
        '"',
        "'",
        "AND",
        "NEAR(",
        "*",
        "-",
        "ß",
        "Ü",
        "\x00",
    ]
)


@given(st.lists(QUERY_PIECES | st.text(max_size=12), max_size=60))
def test_any_query_with_synonyms_parses_into_an_expression_fts5_accepts(pieces):
    parsed = analysis.parse_query(" ".join(pieces), SYNONYMS)
    assert len(parsed.terms) <= analysis.MAX_QUERY_TERMS
    for term in parsed.terms:
        assert term.alternatives and all(term.alternatives)
    if not parsed.is_empty:
        _fts5_accepts(fts_expression(parsed))


@given(st.text(max_size=80))
def test_a_phrase_is_how_the_index_begins_the_same_text(text):
    tokens = analysis.phrase(text)
    assert tuple(analysis.index_tokens(text)[: len(tokens)]) == tokens


@given(st.text(max_size=500))
def test_any_text_parses_into_plain_word_tokens(text):
    parsed = analysis.parse_query(text)
    for term in parsed.terms:
        for alternative in term.alternatives:
            for token in alternative:
                assert token and all(ch.isalnum() or ch == "_" for ch in token)
                assert '"' not in token and "'" not in token


def test_a_word_cut_by_the_character_limit_is_dropped():
    query = "Kita " + "x" * 190 + " Beratungsstelle"
    parsed = analysis.parse_query(query)
    assert parsed.truncated
    assert [term.text for term in parsed.terms] == ["kita", "x" * 190]


def test_one_huge_word_stays_a_term_rather_than_an_empty_query():
    parsed = analysis.parse_query("a" * 10_000)
    assert parsed.truncated
    assert [term.text for term in parsed.terms] == ["a" * analysis.MAX_QUERY_CHARS]


def test_singular_and_plural_share_a_stem_where_snowball_parts_them():
    pairs = [
        ("Kita", "Kitas"),
        ("Sprachkurs", "Sprachkurse"),
        ("Kurs", "Kursen"),
        ("Workshop", "Workshops"),
        ("Büro", "Büros"),
        ("Zentrum", "Zentren"),
        ("Familienzentrum", "Familienzentren"),
        ("Migrant", "Migrantinnen"),
        ("Migrantin", "Migranten"),
        ("Lesepatin", "Lesepaten"),
        ("Beraterin", "Berater"),
    ]
    for one, other in pairs:
        assert analysis.index_tokens(one) == analysis.index_tokens(other), (one, other)


def test_adjectives_in_los_keep_their_s():
    assert analysis.phrase("kostenlos") == analysis.phrase("kostenlose")
    assert analysis.phrase("wohnungslos") == analysis.phrase("Wohnungslose")
    assert analysis.phrase("Haus") != analysis.phrase("Hau")


def test_compounds_are_split_recursively_and_at_plural_heads():
    tokens = analysis.index_tokens("Schuldnerberatungsstelle")
    for part in ("schuldner", "beratungsstelle", "beratung", "stelle"):
        assert analysis.stem(part) in tokens
    assert analysis.stem("gruppe") in analysis.index_tokens("Krabbelgruppen")
    # A prefix or a stop word is no modifier: "Nachhilfe" is not help after something.
    assert analysis.index_tokens("Nachhilfe") == [analysis.stem("nachhilfe")]


def test_a_compound_in_the_query_also_finds_its_parts_written_apart():
    (term,) = analysis.parse_query("Schuldnerberatung").terms
    assert term.alternatives[0] == (analysis.stem("schuldnerberatung"),)
    written_apart = analysis.phrase("Schuldner Beratung")
    turned_round = analysis.phrase("Beratung für Schuldner")
    assert written_apart in term.alternatives and turned_round in term.alternatives
    # Each of those phrases is what the index holds for the text written that way.
    for text, found in (
        ("Schuldner-Beratung", written_apart),
        ("Beratung für Schuldner", turned_round),
    ):
        assert tuple(analysis.index_tokens(text)) == found


def test_words_in_quotes_are_one_phrase_in_their_order():
    (term,) = analysis.parse_query('"Hilfe zur Erziehung"').terms
    assert term.alternatives == (analysis.phrase("Hilfe zur Erziehung"),)
    assert analysis.phrase("Hilfe zur Erziehung") != analysis.phrase("Erziehung zur Hilfe")
    terms = analysis.parse_query("Trier „Hilfe zur Erziehung“ Beratung").terms
    assert [t.text for t in terms] == ["trier", "hilfe erziehung", "beratung"]
    # Quotes keep the synonyms of a phrase that is a synonym term, and no compound split.
    (quoted,) = analysis.parse_query('"Allgemeiner Sozialer Dienst"', SYNONYMS).terms
    assert ("asd",) in quoted.alternatives
    (word,) = analysis.parse_query('"Schuldnerberatung"').terms
    assert word.alternatives == ((analysis.stem("schuldnerberatung"),),)
    # An unclosed quote is ignored.
    assert texts('Beratung "Trier Nord') == ["beratung", "trier", "nord"]


def test_question_words_are_stop_words():
    assert texts("Wo gibt es Deutschkurse") == ["deutschkurse"]
    assert texts("Pflegeeltern werden") == ["pflegeeltern"]
