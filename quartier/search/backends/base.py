from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from quartier.search.analysis import ParsedQuery


class IndexRow(NamedTuple):
    document_id: int
    name: str  # analysed tokens, weighted highest
    keywords: str  # topics, target groups, organisation, languages, cost, access
    body: str  # description, places, areas


class Backend:
    vendor = ""

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        """SQL selecting (id, score) of the matching documents; lower score ranks first."""
        raise NotImplementedError

    def write(self, rows: Sequence[IndexRow]) -> None:
        raise NotImplementedError

    def delete(self, document_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


def quote(token: str, mark: str) -> str:
    """Tokens are \\w+ after analysis; doubling the quote mark is a second line of defence."""
    return mark + token.replace(mark, mark + mark) + mark
