from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy

from quartier.search.analysis import ParsedQuery


class IndexRow(NamedTuple):
    document_id: int
    name: str  # analysed tokens, weighted highest
    keywords: str  # topics, target groups, organisation, languages, cost, access
    body: str  # description, places, areas


@dataclass
class Matches:
    """The documents matching a query's text and their scores (lower ranks first)."""

    ids: numpy.ndarray  # uint32
    scores: numpy.ndarray  # float64


class Backend:
    vendor = ""

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        """SQL selecting (id, score) of the matching documents; lower score ranks first."""
        raise NotImplementedError

    def ids_sql(self, query: ParsedQuery) -> tuple[str, list]:
        """SQL selecting the ids (column `id`) of the matching documents, scores left out."""
        sql, params = self.match_sql(query)
        return f"SELECT s.id FROM ({sql}) s", params  # noqa: S608 (constant fragments)

    def one_pass(self, query: ParsedQuery) -> bool:
        """Whether reading every match with its score once (engine.ranked) is cheaper than
        asking for the ids, then for the ranked page (engine.facet_counts, engine.page)."""
        return False

    def matches(self, query: ParsedQuery, lengths: Any) -> Matches | None:
        """Every match with its score (the scores of match_sql) computed a way cheaper than
        reading them through match_sql; None where this backend has none. `lengths` is what
        row_lengths() gave the process's index."""
        return None

    def after_rebuild(self) -> None:
        """Housekeeping after the whole index was rebuilt (outside any transaction)."""

    def row_lengths(self) -> Any:
        """Per-process data matches() needs, kept current with the facet index (which calls
        its update(ids) and copy()); None if the backend needs none."""
        return None

    def write(self, rows: Sequence[IndexRow]) -> None:
        raise NotImplementedError

    def delete(self, document_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


def quote(token: str, mark: str) -> str:
    """Tokens are \\w+ after analysis; doubling the quote mark is a second line of defence."""
    return mark + token.replace(mark, mark + mark) + mark
