"""What a full-text backend offers the rest of the search (backends/sqlite.py, postgres.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy

from quartier.search import sql
from quartier.search.analysis import ParsedQuery
from quartier.search.bm25 import Matches, RowLengths

# SQL and its parameters.
Statement = tuple[str, list[Any]]


class IndexRow(NamedTuple):
    document_id: int
    name: str  # analysed tokens, weighted highest
    keywords: str  # topics, target groups, organisation, languages, cost, access
    body: str  # description, places, areas


class Backend:
    vendor = ""

    def match_sql(self, query: ParsedQuery) -> Statement:
        """SQL selecting (id, score) of the matching documents; lower score ranks first."""
        raise NotImplementedError

    def ids_sql(self, query: ParsedQuery) -> Statement:
        """SQL selecting the ids (column `id`) of the matching documents, scores left out."""
        sql_text, params = self.match_sql(query)
        return f"SELECT s.id FROM ({sql_text}) s", params  # noqa: S608 (constant fragments)

    def one_pass(self, query: ParsedQuery) -> bool:
        """Whether reading every match with its score once (pipeline.match ranking in the
        process) is cheaper than asking for the ids, then for the ranked page in SQL."""
        return False

    def matches(self, query: ParsedQuery, lengths: RowLengths | None) -> Matches | None:
        """Every match with its score (the scores of match_sql) computed a way cheaper than
        reading them through match_sql; None where this backend has none. `lengths` is what
        row_lengths() gave the process's index."""
        return None

    def scored(self, query: ParsedQuery, lengths: RowLengths | None) -> Matches:
        """Every match with its score. Computed where the backend can do so cheaply
        (one-term searches: bm25 from where the word occurs and the rows' lengths, ADR 0008);
        otherwise one pass of the full-text index returns the ids and the scores as two joined
        strings (the aggregates see the rows in the same order) and numpy parses them."""
        found = self.matches(query, lengths)
        if found is not None:
            return found
        match_sql, params = self.match_sql(query)
        ids, scores = sql.columns(
            f"({match_sql}) x", params, [("x.id", numpy.uint32), ("x.score", numpy.float64)]
        )
        return Matches(ids, scores)

    def after_rebuild(self) -> None:
        """Housekeeping after the whole index was rebuilt (outside any transaction)."""

    def row_lengths(self) -> RowLengths | None:
        """Per-process data matches() needs, kept current with the facet index (which calls
        its update(ids) and copy()); None if the backend needs none."""
        return None

    def count_terms(self) -> None:
        """Set IndexedTerm.doc_count from the full-text index after a rebuild, where the
        backend can do so cheaply (the typo fallback prefers common corrections)."""

    def write(self, rows: Sequence[IndexRow]) -> None:
        raise NotImplementedError

    def delete(self, document_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


def quote(token: str, mark: str) -> str:
    """Tokens are \\w+ after analysis; doubling the quote mark is a second line of defence."""
    return mark + token.replace(mark, mark + mark) + mark
