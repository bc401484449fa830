"""The relevance set: a catalogue of offers and the queries people type, with the offers each
query must (and must not) bring into the first five hits.

The set lives in tests/search/relevance/ (offers.json, queries.json); it was written for the
search from what residents and professionals type and what offers say, not from the
analyser's word lists. `load_catalogue` writes the offers into the current database (a test
database or an empty one: it adds to what is there), `score` runs every query through the
search's front door and counts the queries whose judgements all hold.

Used by tests/search/test_relevance.py (which asserts the score on SQLite and PostgreSQL) and
by bench/search/relevance.sh (which prints the misses).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from quartier.core.text import german_slug
from quartier.directory.models import Organisation
from quartier.offers.models import (
    Language,
    Offer,
    ReviewState,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)

TOP = 5  # a "must" offer counts when it is among the first TOP hits
SET_DIR = Path(__file__).resolve().parents[2] / "tests" / "search" / "relevance"


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str
    must: tuple[str, ...]
    must_not: tuple[str, ...] = ()


@dataclass
class Outcome:
    judgement: Judgement
    top: list[str]  # the keys of the first TOP hits

    @property
    def missing(self) -> list[str]:
        return [key for key in self.judgement.must if key not in self.top]

    @property
    def intruding(self) -> list[str]:
        return [key for key in self.judgement.must_not if key in self.top]

    @property
    def passed(self) -> bool:
        return not self.missing and not self.intruding


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The share of queries whose judgements all hold (0..1)."""
        if not self.outcomes:
            return 0.0
        return sum(outcome.passed for outcome in self.outcomes) / len(self.outcomes)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """kind -> (passed, queries)."""
        kinds: dict[str, tuple[int, int]] = {}
        for outcome in self.outcomes:
            passed, total = kinds.get(outcome.judgement.kind, (0, 0))
            kinds[outcome.judgement.kind] = (passed + outcome.passed, total + 1)
        return kinds

    def text(self) -> str:
        lines = [f"relevance: {self.score:.1%} of {len(self.outcomes)} queries"]
        for kind, (passed, total) in sorted(self.by_kind().items()):
            lines.append(f"  {kind}: {passed}/{total}")
        for outcome in self.outcomes:
            if not outcome.passed:
                lines.append(
                    f"  MISS {outcome.judgement.query!r}: missing {outcome.missing} "
                    f"unwanted {outcome.intruding} top {outcome.top}"
                )
        return "\n".join(lines)


def read_offers(directory: Path = SET_DIR) -> list[dict[str, Any]]:
    offers: list[dict[str, Any]] = json.loads((directory / "offers.json").read_text("utf-8"))
    return offers


def read_queries(directory: Path = SET_DIR) -> list[Judgement]:
    rows = json.loads((directory / "queries.json").read_text("utf-8"))
    return [
        Judgement(
            query=row["q"],
            kind=row["kind"],
            must=tuple(row["must"]),
            must_not=tuple(row.get("not", ())),
        )
        for row in rows
    ]


def check_set(offers: Sequence[Mapping[str, Any]], queries: Iterable[Judgement]) -> list[str]:
    """Mistakes in the set itself: duplicate keys, judgements naming unknown offers."""
    keys = [offer["key"] for offer in offers]
    problems = [f"duplicate offer {key}" for key in sorted({k for k in keys if keys.count(k) > 1})]
    known = set(keys)
    for judgement in queries:
        if not judgement.must:
            problems.append(f"{judgement.query!r}: no offer that must be found")
        for key in (*judgement.must, *judgement.must_not):
            if key not in known:
                problems.append(f"{judgement.query!r}: unknown offer {key}")
    return problems


@transaction.atomic
def load_catalogue(offers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Create the offers (published) with their organisations, topics, target groups and
    languages; returns offer key -> offer id. The caller indexes them (the signals do, unless
    paused; a bulk load pauses them and calls services.index_rebuild once)."""
    taxonomy, _created = Taxonomy.objects.get_or_create(
        slug="relevanz-themen", defaults={"name": "Relevanz-Themen"}
    )
    terms: dict[str, TaxonomyTerm] = {}
    groups: dict[str, TargetGroup] = {}
    languages: dict[str, Language] = {}
    organisations: dict[str, Organisation] = {}
    ids: dict[str, Any] = {}
    for row in offers:
        for name in row.get("topics", ()):
            if name not in terms:
                terms[name], _ = TaxonomyTerm.objects.get_or_create(
                    taxonomy=taxonomy, code=german_slug(name)[:60], defaults={"name": name}
                )
        for name in row.get("groups", ()):
            if name not in groups:
                groups[name], _ = TargetGroup.objects.get_or_create(
                    slug=f"rel-{german_slug(name)}"[:60], defaults={"name": name}
                )
        for name in row.get("langs", ()):
            if name not in languages:
                code = f"r{len(languages)}"
                languages[name], _ = Language.objects.get_or_create(
                    name=name, defaults={"code": code}
                )
        org_name = row["org"]
        if org_name not in organisations:
            organisations[org_name], _ = Organisation.objects.get_or_create(
                slug=f"rel-{german_slug(org_name)}"[:250], defaults={"name": org_name}
            )
        offer = Offer.objects.create(
            organisation=organisations[org_name],
            name=row["name"],
            alternate_name=row.get("alt", ""),
            description=row.get("text", ""),
            review_state=ReviewState.PUBLISHED,
        )
        offer.topics.set([terms[name] for name in row.get("topics", ())])
        offer.target_groups.set([groups[name] for name in row.get("groups", ())])
        offer.languages.set([languages[name] for name in row.get("langs", ())])
        ids[row["key"]] = offer.pk
    return ids


def score(queries: Iterable[Judgement], ids: Mapping[str, Any]) -> Report:
    """Run each query through services.search_offers and judge its first TOP hits."""
    from quartier.search.services import index_refresh, search_offers

    keys = {offer_id: key for key, offer_id in ids.items()}
    index_refresh()
    report = Report()
    for judgement in queries:
        found = search_offers(query=judgement.query, per_page=TOP)
        top = [keys.get(hit.summary.id, str(hit.summary.id)) for hit in found.hits]
        report.outcomes.append(Outcome(judgement, top))
    return report
