"""German text analysis, the same for both backends.

The database only sees analysed tokens: text is folded (ä→a, ae→a, ß→ss, accents dropped),
split into words, stop words dropped, plural and feminine endings that Snowball leaves apart
taken off (`singular`), compounds split at known heads, recursively
(data/compound_heads.txt), and every word reduced to its Snowball stem (PyStemmer, "german").
A compound in a query also finds its parts written apart, in either order
(`compound_phrases`), and words in double quotes are one phrase. Doing this in Python rather
than in each database keeps SQLite and PostgreSQL results identical (see docs/adr/0002).

Folding is applied to documents and queries alike, so "Familienbuero", "Familienbüro" and
"familienburo" meet in one token. The rare word where "ue" is not an umlaut ("Quelle") is
folded too; as both sides fold the same way, it still finds itself.

Synonym groups (model Synonym) work in every direction: a run of query words whose stems are
those of a synonym term, one word or several ("Allgemeinen Sozialen Dienst"), becomes one term
that any term of the group matches, as a phrase ("ASD" or "Allgemeiner Sozialer Dienst").

The interface the rest of the search uses, and the only one: `parse_query` (what a search
asks for: a ParsedQuery of terms whose alternatives are phrases of tokens; pipeline.parse),
`index_text` (what a document's text is indexed under; indexing.py), `surface_words` (how the
catalogue writes a stem, for the corrected query), `build_synonym_map` (models.synonym_map),
`stem` and `edits1` (the typo fallback) and `fold` (places.py). The backends see tokens only,
so better German analysis changes this module and, where the tokens change, a reindex.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

DATA_DIR = Path(__file__).resolve().parent / "data"
# What the index's tokens depend on: this module and data/compound_heads.txt and
# stopwords.txt. Raise it with any change that changes tokens; `migrate` then rebuilds an
# index built with another version (signals.on_post_migrate, models.IndexVersion).
# 2: decompounding both ways, plural and feminine endings, more heads and stop words (#17).
# 3: facet keys of the areas an offer is filed under directly (indexing.DIRECT_AREA, #17).
VERSION = 3

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 8  # a synonym phrase counts as one term
MAX_SYNONYM_WORDS = 8  # longer synonym terms are matched, but not recognised in a query
MIN_MODIFIER = 3  # a compound's modifier must keep at least this many letters

_WORD = re.compile(r"\w+", re.UNICODE)
_PARTIAL_WORD = re.compile(r"\w+\Z", re.UNICODE)
_QUOTED = re.compile(r'["\u201c\u201d\u201e]([^"\u201c\u201d\u201e]*)["\u201c\u201d\u201e]')
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_LINKING = ("s", "es", "n", "en")  # Fugenelemente: Erziehung-s-beratung


def _read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def stopwords() -> frozenset[str]:
    return frozenset(fold(word) for word in _read_list("stopwords.txt"))


@cache
def compound_heads() -> tuple[str, ...]:
    # Longest first, so "sozialarbeit" wins over "arbeit".
    heads = {fold(word) for word in _read_list("compound_heads.txt")}
    return tuple(sorted(heads, key=len, reverse=True))


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("german")


def fold(text: str) -> str:
    """Lower case, ß→ss, umlauts and their digraphs to the plain vowel, accents removed."""
    text = text.lower().replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for digraph, plain in _DIGRAPHS:
        text = text.replace(digraph, plain)
    return text


def words(text: str) -> list[str]:
    """Folded words without stop words (underscores count as separators)."""
    stop = stopwords()
    found = _WORD.findall(fold(text).replace("_", " "))
    return [word for word in found if word not in stop]


def stem(word: str) -> str:
    """The word's Snowball stem, singular and plural alike (see `singular`, `_unify`)."""
    return _unify(_stemmer().stemWord(singular(word)))


# Plural and feminine endings Snowball leaves apart (folded words). Loan words and short
# words in -a, -o, -y take an -s plural (Kitas, Büros, Babys); English loans in -p too
# (Workshops). Latin plurals change their ending (Zentren, Museen). Feminine forms and
# their plurals (Beraterin, Migrantinnen, Lesepatin) are found under the masculine stem,
# as directories write "Migrant*innen", "Migranten" and "Migrantinnen" for one audience.
# Not the -s of -los ("kostenlos", "wohnungslos": an adjective, not a plural).
_S_PLURAL = re.compile(r"(?<!lo)(?<=[^aeiou][aoy])s\Z|(?<=p)s\Z")
_FEMININE_BASES = ("er", "ant", "ent", "ist", "or", "eur", "log", "arzt", "at")
_LATIN_PLURALS = (
    ("zentren", "zentrum"),
    ("museen", "museum"),
    ("praxen", "praxis"),
    ("themen", "thema"),
    ("firmen", "firma"),
    ("stadien", "stadium"),
    ("gymnasien", "gymnasium"),
    ("studien", "studium"),
)
# Snowball takes the -s of "kurs" (kur) but not of "kurse" (kurs): a stem ending in one of
# its s-endings and -s loses the -s, so Kurs, Kurse and Kursen meet in "kur".
_S_ENDING = re.compile(r"(?<=[bdfghklmnrt])s\Z")


def singular(word: str) -> str:
    """A folded word with the plural and feminine endings above taken off."""
    for plural, single in _LATIN_PLURALS:
        if word.endswith(plural):
            return word[: -len(plural)] + single
    for ending in ("innen", "in"):
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= 4 and base.endswith(_FEMININE_BASES):
            word = base
            break
    if len(word) >= 4:
        word = _S_PLURAL.sub("", word)
    return word


def _unify(stem_: str) -> str:
    return _S_ENDING.sub("", stem_) if len(stem_) > 3 else stem_


@cache
def _not_modifiers() -> frozenset[str]:
    # Prefixes that make a word, not a compound: "Nachhilfe" is not help after something.
    prefixes = {"nach", "vor", "unter", "uber", "gegen", "durch", "wieder", "weiter", "ruck"}
    return stopwords() | prefixes


_HEAD_ENDINGS = ("", "n", "en", "e", "s", "es", "er")


def _head_ending(word: str, head: str) -> str | None:
    """The plural ending after `head` at the end of `word` ("" for none), or None."""
    for ending in _HEAD_ENDINGS:
        if len(word) > len(head) + len(ending) and word.endswith(head + ending):
            return ending
    return None


def split_compound(word: str) -> tuple[str, str] | None:
    """(modifier, head) when the word ends with a known head after a real modifier."""
    for head in compound_heads():
        ending = _head_ending(word, head)
        if ending is not None:
            head = head + ending
            modifier = word[: -len(head)]
            for suffix in _LINKING:
                if modifier.endswith(suffix) and len(modifier) - len(suffix) >= MIN_MODIFIER + 2:
                    modifier = modifier[: -len(suffix)]
                    break
            if len(modifier) >= MIN_MODIFIER and modifier not in _not_modifiers():
                return modifier, head
    return None


@lru_cache(maxsize=200_000)
def word_tokens(word: str) -> tuple[str, ...]:
    """The stem of a folded word, plus the tokens of its compound parts, the modifier's
    first, each part split again ("schuldnerberatungsstelle": the whole, "schuldner", then
    "beratungsstelle", "beratung", "stelle"). Cached: a catalogue repeats its vocabulary,
    and reindexing 100,000 offers would otherwise split it again."""
    word = singular(word)
    parts = split_compound(word)
    if parts:
        modifier, head = parts
        return (stem(word), *word_tokens(modifier), *word_tokens(head))
    return (stem(word),)


def compound_phrases(word: str) -> tuple[tuple[str, ...], ...]:
    """How a compound is written apart, as phrases: its parts in order ("Schuldner
    Beratung", "Schuldner-Beratungsstelle") and turned round with the words between them
    left out as stop words ("Beratungsstelle für Schuldner", "Zentrum für Familien").
    None for a word that is not a compound."""
    parts = split_compound(singular(word))
    if not parts:
        return ()
    modifier, head = parts
    return (_phrase([modifier, head]), _phrase([head, modifier]))


@lru_cache(maxsize=200_000)
def _surface_stem(word: str) -> str | None:
    """The stem a word as written is indexed under, None for stop words (cached)."""
    folded = fold(word)
    if not folded or folded in stopwords() or not _WORD.fullmatch(folded):
        return None
    return word_tokens(folded)[0]


def surface_words(text: str) -> list[tuple[str, str]]:
    """(stem, the word as written, lower case) for each word of the text: what the typo
    fallback shows instead of an arbitrary spelling of a known stem."""
    pairs = []
    for word in _WORD.findall(text.replace("_", " ")):
        stem_ = _surface_stem(word.lower())
        if stem_:
            pairs.append((stem_, word.lower()))
    return pairs


def index_tokens(text: str) -> list[str]:
    """The tokens a document is indexed under: stems of its words and of their compound parts."""
    tokens: list[str] = []
    for word in words(text):
        tokens.extend(word_tokens(word))
    return tokens


def index_text(text: str) -> str:
    return " ".join(index_tokens(text))


@dataclass(frozen=True)
class QueryTerm:
    """One thing the user asked for: any of its alternatives must match.

    `text` is the folded words as typed ("allgemeinen sozialen dienst"). Each alternative is a
    phrase (a tuple of tokens, see `phrase`): one stem for a word, several for words that were
    recognised as a multi-word synonym term ("allgemein sozial dien"). The first alternative
    is always what the user typed; the others come from the synonym groups.
    """

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    # How many alternatives after the first are the word's compound parts written apart
    # (compound_phrases): a typo may still be corrected where these are all there is.
    split: int = 0


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[QueryTerm, ...]
    truncated: bool = False  # the query was longer than MAX_QUERY_CHARS or MAX_QUERY_TERMS

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def with_terms(self, terms: tuple[QueryTerm, ...]) -> ParsedQuery:
        return ParsedQuery(terms=terms, truncated=self.truncated)


# Synonym key (the stems of a term's words, space-separated) -> the phrases its groups match.
SynonymMap = Mapping[str, Sequence[tuple[str, ...]]]


def phrase(text: str) -> tuple[str, ...]:
    """The tokens that `text` is found under as a phrase: adjacent and in order in the index."""
    return _phrase(words(text))


def _phrase(found: Sequence[str]) -> tuple[str, ...]:
    # The index follows a compound with its parts ("Jugendhilfe Trier" is indexed as
    # jugendhilf jugend hilf trier), so a word inside a phrase brings its parts along. The last
    # word needs only its stem, and a single word stays one token: (stem,).
    tokens: list[str] = []
    for word in found[:-1]:
        tokens.extend(word_tokens(word))
    if found:
        tokens.append(stem(found[-1]))
    return tuple(tokens)


def synonym_key(text: str) -> str:
    """How a synonym term is recognised in a query: the stems of its words ("allgemein sozial
    dien" for "Allgemeiner Sozialer Dienst", and for "Allgemeinen Sozialen Dienstes" too)."""
    return " ".join(stem(word) for word in words(text))


def build_synonym_map(groups: Iterable[Iterable[str]]) -> dict[str, list[tuple[str, ...]]]:
    """Synonym key -> the phrases of every term of the groups it belongs to, its own included.

    Every term is a key, one word or several, so each group works in every direction. A term
    in several groups gets the phrases of all of them, in the order given. Groups with fewer
    than two different terms, and terms of stop words only, are left out.
    """
    mapping: dict[str, list[tuple[str, ...]]] = {}
    for terms in groups:
        group: dict[str, tuple[str, ...]] = {}  # key -> phrase, in the order of the group
        for term in terms:
            key = synonym_key(term)
            if key:
                group.setdefault(key, phrase(term))
        phrases = list(dict.fromkeys(group.values()))
        if len(phrases) < 2:
            continue
        for term in terms:  # a compound term is found written apart too
            single = words(term)
            if len(single) == 1:
                phrases += [found for found in compound_phrases(single[0]) if found not in phrases]
        for key in group:
            known = mapping.setdefault(key, [])
            known.extend(found for found in phrases if found not in known)
    return mapping


def _synonym_runs(stems: Sequence[str], synonyms: SynonymMap) -> dict[int, int]:
    """Start -> end of the runs of two or more words that are synonym terms, not overlapping.

    The longest run wins, then the leftmost: in "Frühe Hilfen zur Erziehung", with the groups
    "Frühe Hilfen" and "Hilfen zur Erziehung", "Frühe Hilfen" is one term and "Erziehung"
    another. Single words are looked up by the caller.
    """
    found = []
    for start in range(len(stems) - 1):
        for end in range(start + 2, min(start + MAX_SYNONYM_WORDS, len(stems)) + 1):
            if " ".join(stems[start:end]) in synonyms:
                found.append((start - end, start, end))  # sorts longest first, then leftmost
    runs: dict[int, int] = {}
    taken: set[int] = set()
    for _length, start, end in sorted(found):
        if taken.isdisjoint(range(start, end)):
            runs[start] = end
            taken.update(range(start, end))
    return runs


def parse_query(text: str, synonyms: SynonymMap | None = None) -> ParsedQuery:
    """Turn whatever the user typed into terms; never raises.

    Operators, wildcards and SQL are not syntax here: only words survive, and punctuation
    between words is ignored as it is in the index. Words in double quotes are one term, a
    phrase: found only with its words adjacent and in order ("Hilfe zur Erziehung" does not
    find "Erziehung zur Hilfe"), with the synonyms of the whole phrase if it is a synonym
    term. `synonyms` is what models.synonym_map() returns: a run of words that is a synonym
    term becomes one term whose alternatives are the run as a phrase and the phrases of its
    groups. A compound typed as one word also finds it written apart (`compound_phrases`).
    A term that repeats an earlier one (same alternatives) is dropped; after
    MAX_QUERY_TERMS terms the rest is cut.
    """
    text = str(text or "")
    truncated = len(text) > MAX_QUERY_CHARS
    cut = text[:MAX_QUERY_CHARS]
    if truncated and _WORD.match(text, MAX_QUERY_CHARS):
        # No half word at the cut, unless it is all there is (one huge word finds nothing,
        # where an empty query would list everything).
        cut = _PARTIAL_WORD.sub("", cut) if words(_PARTIAL_WORD.sub("", cut)) else cut
    found: list[str] = []
    quoted: dict[int, int] = {}  # start -> end of the phrases in quotes
    for number, segment in enumerate(_QUOTED.split(cut)):
        segment_words = words(segment)
        if number % 2 and segment_words:
            quoted[len(found)] = len(found) + len(segment_words)
        found += segment_words
    stems = [word_tokens(word)[0] for word in found]  # cached: the stem comes first
    synonyms = synonyms or {}
    runs = _synonym_runs(stems, synonyms) if synonyms else {}
    inside = {at for start, end in quoted.items() for at in range(start, end)}
    runs = {start: end for start, end in runs.items() if inside.isdisjoint(range(start, end))}
    runs.update(quoted)
    terms: list[QueryTerm] = []
    seen: set[frozenset[tuple[str, ...]]] = set()
    start = 0
    while start < len(found):
        end = runs.get(start, start + 1)
        alternatives = [_phrase(found[start:end])]
        if end == start + 1 and start not in quoted:
            alternatives += [alt for alt in compound_phrases(found[start]) if alt]
        split = len(set(alternatives)) - 1
        for alternative in synonyms.get(" ".join(stems[start:end]), ()):
            if alternative and tuple(alternative) not in alternatives:
                alternatives.append(tuple(alternative))
        alternatives = list(dict.fromkeys(alternatives))
        signature = frozenset(alternatives)
        if signature not in seen:
            seen.add(signature)
            if len(terms) == MAX_QUERY_TERMS:
                truncated = True
                break
            run = " ".join(found[start:end])
            terms.append(QueryTerm(text=run, alternatives=tuple(alternatives), split=split))
        start = end
    return ParsedQuery(terms=tuple(terms), truncated=truncated)


def edits1(word: str) -> set[str]:
    """Every string one edit away (delete, transpose, replace, insert): the typo candidates."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + transposes + replaces + inserts) - {word}
