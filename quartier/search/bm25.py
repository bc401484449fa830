"""bm25 scores of one-term searches, computed in the process from where each token occurs
and how long each row is (ADR 0008).

Both backends rank such searches with FTS5's bm25 (k1 1.2, b 0.75, weights 10/4/1 for name,
keywords and body). A backend supplies two things: the weighted frequency of each query token
in every row that holds it (SQLite: FTS5's instance table; PostgreSQL: the posting table
search_pg_posting), and every row's length in tokens, kept per process in a RowLengths beside
the facet bitmaps. numpy does the rest with FTS5's own order of floating-point operations
(fts5Bm25Function in ext/fts5/fts5_aux.c), so on SQLite the scores equal FTS5's `rank` to the
last bit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Self

import numpy

from quartier.search.analysis import ParsedQuery

K1, B = 1.2, 0.75  # FTS5's bm25 constants
WEIGHTS = (10.0, 4.0, 1.0)  # name, keywords, body
# Tokens that FTS5's unicode61 tokenizer and PostgreSQL's 'simple' parser both store exactly
# as they are given; others keep the backend's own ranking in SQL.
PLAIN_TOKEN = re.compile(r"[a-z0-9]+")

# {token: (ids of the rows holding it, ascending; its weighted frequency in each row)}
Occurrences = dict[str, tuple[numpy.ndarray, numpy.ndarray]]


@dataclass
class Matches:
    """The documents matching a query's text and their scores (lower ranks first): what a
    backend reports, whether computed here or read from its SQL."""

    ids: numpy.ndarray  # uint32
    scores: numpy.ndarray  # float64


class RowLengths:
    """Every full-text row's length in tokens (bm25's D), the number of rows and their total
    length (for the average). A backend subclass reads them (`_read`)."""

    def __init__(self) -> None:
        self.tokens = numpy.full(0, -1, dtype=numpy.int64)  # by row id; -1: no row
        self.rows = 0
        self.total = 0

    def _read(self, ids: list[int] | None) -> tuple[numpy.ndarray, numpy.ndarray]:
        """(row ids, their lengths) of these rows, or of all rows for None."""
        raise NotImplementedError

    def copy(self) -> Self:
        other = type(self)()
        other.tokens, other.rows, other.total = self.tokens.copy(), self.rows, self.total
        return other

    def load(self) -> Self:
        self.tokens = numpy.full(0, -1, dtype=numpy.int64)
        self.rows = self.total = 0
        self._set(*self._read(None))
        return self

    def update(self, ids: Iterable[int]) -> None:
        """Read these rows again (changed, added or deleted)."""
        ids = [i for i in ids if i >= 0]
        for row in ids:
            if row < len(self.tokens) and self.tokens[row] >= 0:
                self.rows -= 1
                self.total -= int(self.tokens[row])
                self.tokens[row] = -1
        if ids:
            self._set(*self._read(ids))

    def _set(self, rows: numpy.ndarray, sizes: numpy.ndarray) -> None:
        if not len(rows):
            return
        top = int(rows.max())
        if top >= len(self.tokens):
            grown = numpy.full(max(top + 1, len(self.tokens) * 5 // 4), -1, dtype=numpy.int64)
            grown[: len(self.tokens)] = self.tokens
            self.tokens = grown
        self.tokens[rows] = sizes
        self.rows += len(rows)
        self.total += int(sizes.sum())


def plain_terms(query: ParsedQuery) -> list[list[str]] | None:
    """The query's terms as lists of single-token alternatives; None if some alternative is a
    phrase of several tokens or a token that is not plain."""
    terms = []
    for term in query.terms:
        tokens = []
        for alternative in term.alternatives:
            if len(alternative) != 1 or not PLAIN_TOKEN.fullmatch(alternative[0]):
                return None
            tokens.append(alternative[0])
        terms.append(tokens)
    return terms


def one_term(query: ParsedQuery) -> list[str] | None:
    """The alternatives of a query of one plain term (where computing pays, see the
    backends' one_pass), else None."""
    terms = plain_terms(query)
    return terms[0] if terms is not None and len(terms) == 1 else None


def in_order(rows: numpy.ndarray, values: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Both sorted by row (a stable sort), unless they already are."""
    if len(rows) > 1 and not (rows[1:] >= rows[:-1]).all():
        order = numpy.argsort(rows, kind="stable")
        return rows[order], values[order]
    return rows, values


def summed(rows: numpy.ndarray, weights: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(distinct rows, the sum of their weights) of rows sorted ascending."""
    if not len(rows):
        return rows, weights
    starts = numpy.flatnonzero(numpy.concatenate(([True], rows[1:] != rows[:-1])))
    # The weights are small whole numbers, so their sums are exact in any order.
    return rows[starts], numpy.add.reduceat(weights, starts)


def union(a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    """The union of two ascending arrays of distinct ids (a merge; numpy.union1d hashes)."""
    both = numpy.sort(numpy.concatenate((a, b)), kind="stable")
    return both[numpy.concatenate(([True], both[1:] != both[:-1]))] if len(both) else both


def idf(rows: int, hits: int) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def scores(terms: list[list[str]], found: Occurrences, lengths: RowLengths) -> Matches:
    """The rows holding every term (any of its alternatives) and their bm25 scores, negated
    (lower ranks first) as FTS5's rank is. One phrase per alternative, in query order."""
    ids = None
    for term in terms:
        either = found[term[0]][0]
        for token in term[1:]:
            either = union(either, found[token][0])
        ids = either if ids is None else numpy.intersect1d(ids, either, assume_unique=True)
    if ids is None or not len(ids) or not lengths.rows:
        empty = numpy.zeros(0)
        return Matches(empty.astype(numpy.uint32), empty)
    rows = lengths.rows
    avgdl = float(lengths.total) / float(rows)
    length = lengths.tokens[ids].astype(numpy.float64)
    norm = K1 * (1 - B + B * length / avgdl)
    score = numpy.zeros(len(ids))
    for token in (token for term in terms for token in term):
        docs, weights = found[token]
        freq = numpy.zeros(len(ids))
        if len(docs):
            at = numpy.minimum(numpy.searchsorted(docs, ids), len(docs) - 1)
            present = docs[at] == ids
            freq[present] = weights[at[present]]
        score += idf(rows, len(docs)) * ((freq * (K1 + 1.0)) / (freq + norm))
    return Matches(ids.astype(numpy.uint32), -1.0 * score)
