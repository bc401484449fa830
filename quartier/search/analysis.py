"""German text analysis, the same for both backends.

The database only sees analysed tokens: text is folded (ä→a, ae→a, ß→ss, accents dropped),
split into words, stop words dropped, compounds split at known heads (data/compound_heads.txt)
and every word reduced to its Snowball stem (PyStemmer, "german"). Doing this in Python rather
than in each database keeps SQLite and PostgreSQL results identical (see docs/adr/0002).

Folding is applied to documents and queries alike, so "Familienbuero", "Familienbüro" and
"familienburo" meet in one token. The rare word where "ue" is not an umlaut ("Quelle") is
folded too; as both sides fold the same way, it still finds itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

DATA_DIR = Path(__file__).resolve().parent / "data"

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 8
MIN_MODIFIER = 3  # a compound's modifier must keep at least this many letters

_WORD = re.compile(r"\w+", re.UNICODE)
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
    return _stemmer().stemWord(word)


def split_compound(word: str) -> tuple[str, str] | None:
    """(modifier, head) when the word ends with a known head after a real modifier."""
    for head in compound_heads():
        if len(word) > len(head) and word.endswith(head):
            modifier = word[: -len(head)]
            for suffix in _LINKING:
                if modifier.endswith(suffix) and len(modifier) - len(suffix) >= MIN_MODIFIER + 2:
                    modifier = modifier[: -len(suffix)]
                    break
            if len(modifier) >= MIN_MODIFIER:
                return modifier, head
    return None


@lru_cache(maxsize=200_000)
def word_tokens(word: str) -> tuple[str, ...]:
    """The stem of a folded word, plus the stems of its compound parts (cached: a catalogue
    repeats its vocabulary, and reindexing 100,000 offers would otherwise split it again)."""
    parts = split_compound(word)
    if parts:
        return (stem(word), *(stem(part) for part in parts))
    return (stem(word),)


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

    Each alternative is a phrase (a tuple of stems): one stem for a word, several for a
    multi-word synonym ("allgemein sozial dien").
    """

    text: str
    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[QueryTerm, ...]
    truncated: bool = False  # the query was longer than MAX_QUERY_CHARS or MAX_QUERY_TERMS

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def with_terms(self, terms: tuple[QueryTerm, ...]) -> ParsedQuery:
        return ParsedQuery(terms=terms, truncated=self.truncated)


def phrase(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(text))


def parse_query(text: str, synonyms: dict[str, list[tuple[str, ...]]] | None = None) -> ParsedQuery:
    """Turn whatever the user typed into terms; never raises.

    Operators, quotes, wildcards and SQL are not syntax here: only words survive. A word found
    in `synonyms` (folded word -> phrases) also matches the phrases of its group.
    """
    text = str(text or "")
    truncated = len(text) > MAX_QUERY_CHARS
    found = words(text[:MAX_QUERY_CHARS])
    if len(found) > MAX_QUERY_TERMS:
        found, truncated = found[:MAX_QUERY_TERMS], True
    synonyms = synonyms or {}
    terms = []
    seen: set[str] = set()
    for word in found:
        if word in seen:
            continue
        seen.add(word)
        alternatives = [(stem(word),)]
        for alternative in synonyms.get(word, []):
            if alternative and alternative not in alternatives:
                alternatives.append(alternative)
        terms.append(QueryTerm(text=word, alternatives=tuple(alternatives)))
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
