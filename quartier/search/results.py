"""What a search returns: the hits of a page as summaries, their places, the offers on demand.

Hits are built here only: read `hit.summary` for what a list shows (its topics included),
`hit.offer` for the model with its organisation (None if the offer was deleted or made
non-public after the search; `SearchResult.offers` leaves those out, so pair offers with hits
by id, not by position). `hit.offer.topics` is the ordinary relation: it queries when read,
so read the topics from `hit.summary.topics`.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.urls import reverse
from pyroaring import BitMap

from quartier.core.geo import distance_m
from quartier.directory.models import Organisation
from quartier.offers.models import Offer, OfferStatus, TaxonomyTerm
from quartier.search import sql
from quartier.search.facetindex import FacetIndex

FIRST_BY_ID_LIMIT = 2000  # documents up to which the first by name are sorted by the database
NAME_CHUNK = 500  # documents read at a time when walking the name index


@dataclass(frozen=True)
class OfferSummary:
    """What a list of results shows of an offer: read as plain values in one query for the
    whole page, without building the model (twenty Offer and Organisation objects with their
    topics cost a quarter of a selective search, docs/performance.md)."""

    id: uuid.UUID
    name: str
    organisation: str
    description: str
    cost: str
    status: str
    topics: tuple[TaxonomyTerm, ...] = ()  # in name order

    @property
    def status_label(self) -> str:
        return str(OfferStatus(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("offers:detail", kwargs={"pk": self.id})


class _OfferLoader:
    """Loads the Offer objects of one page of hits together, on the first hit that asks,
    with their organisations and (from the summaries, without a query) their topics."""

    def __init__(self, summaries: list[OfferSummary]) -> None:
        self.summaries = {summary.id: summary for summary in summaries}
        self.offers: dict[uuid.UUID, Offer] | None = None

    def get(self, offer_id: uuid.UUID) -> Offer | None:
        if self.offers is None:
            loaded = Offer.objects.filter(pk__in=list(self.summaries)).order_by()
            self.offers = {
                offer.pk: offer
                for offer in loaded.select_related("organisation")
                if offer.is_public  # it may have changed since the summaries were read
            }
        return self.offers.get(offer_id)


@dataclass
class Hit:
    summary: OfferSummary
    distance_m: float | None = None
    lat: float | None = None
    lon: float | None = None
    loader: _OfferLoader | None = field(default=None, repr=False, compare=False)
    # With an area filter: the enclosing area this offer serves as a whole, when it is found
    # for that reason only ("serves all of Trier"); empty for the area's own offers.
    serves_all_of: str = ""

    @property
    def offer(self) -> Offer | None:
        """The offer itself, with organisation and topics, or None if it was deleted or made
        non-public since the search. Loaded on first use, for all hits of the page in one
        query: lists only need `summary`; the guided search and code that needs more of the
        offer read this."""
        if self.loader is None:
            self.loader = _OfferLoader([self.summary])
        return self.loader.get(self.summary.id)

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1000


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, int]  # facet key ("topic:<id>", "free", "open_now", ...) -> count
    query: str
    corrected_query: str | None = None  # set when the typo fallback found the results
    notices: list[str] = field(default_factory=list)  # what was clamped or ignored

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offers(self) -> list[Offer]:
        """The hits' offers (loaded in one query on first use; `hits[i].summary` is cheaper)."""
        return [offer for hit in self.hits if (offer := hit.offer) is not None]


def hits(
    documents: list[int],
    near: tuple[float, float] | None,
    index: FacetIndex,
    enclosing: dict[int, str] | None = None,
) -> list[Hit]:
    """The hits of these search documents, in their order (documents whose offer is no longer
    public or is gone are left out); `enclosing` names the enclosing area of the documents
    found only as offers of one (Hit.serves_all_of)."""
    if not documents:
        return []
    summaries = _summaries(documents, index)
    loader = _OfferLoader(list(summaries.values()))
    points = _points(documents)
    found = []
    for doc_id in documents:
        summary = summaries.get(doc_id)
        if summary is None:
            continue  # made non-public since indexing or deleted since the ranking
        places = points.get(doc_id, [])
        hit = Hit(summary=summary, loader=loader)
        if enclosing:
            hit.serves_all_of = enclosing.get(doc_id, "")
        if places:
            if near:
                best = min(places, key=lambda p: distance_m(near[0], near[1], p[0], p[1]))
                hit.distance_m = distance_m(near[0], near[1], best[0], best[1])
            else:
                best = places[0]
            hit.lat, hit.lon = best
        found.append(hit)
    return found


def _summaries(documents: list[int], index: FacetIndex) -> dict[int, OfferSummary]:
    """Summaries of the public offers of these search documents, by document id, with their
    topics: one statement. Through the ORM (offers, then topic links) the same cost three
    times as much, most of it building the queries.

    "Public" is checked here, not in SQL: with the visibility filter in SQL, SQLite (without
    ANALYZE statistics) walks the review-state index of all published offers instead of
    looking up these twenty (100 ms at 100,000 offers)."""
    offer, organisation = Offer._meta, Organisation._meta
    links = Offer.topics.through._meta
    condition, param = sql.ids_condition("d.id", documents)
    statement = (
        f"SELECT d.id, o.id, o.name, g.name, o.description, o.cost, o.status, o.review_state,"
        f" (SELECT {sql.joined('t.taxonomyterm_id')} FROM {links.db_table} t"
        f"  WHERE t.offer_id = o.id)"
        f" FROM search_searchdocument d JOIN {offer.db_table} o ON o.id = d.offer_id"
        f" JOIN {organisation.db_table} g ON g.id = o.organisation_id WHERE {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [param])
        rows = cursor.fetchall()
    terms: dict[Any, TaxonomyTerm] = index.cached("topic-terms", _topic_terms)
    found = {}
    for doc, pk, name, organisation_name, description, cost, status, review, topics in rows:
        if not Offer.public_state(review, status):
            continue
        known = (terms.get(uuid.UUID(term)) for term in (topics or "").split(",") if term)
        found[doc] = OfferSummary(
            id=_as_uuid(pk),
            name=name,
            organisation=organisation_name,
            description=description,
            cost=cost,
            status=status,
            topics=tuple(sorted((term for term in known if term), key=lambda t: t.localized_name)),
        )
    return found


def _points(documents: list[int]) -> dict[int, list[tuple[float, float]]]:
    """The indexed places of these documents, by document id."""
    condition, param = sql.ids_condition("document_id", documents)
    points: dict[int, list[tuple[float, float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT document_id, lat, lon FROM search_searchpoint WHERE {condition}", [param]
        )
        for doc_id, lat, lon in cursor.fetchall():
            points.setdefault(doc_id, []).append((lat, lon))
    return points


def _topic_terms() -> dict[Any, TaxonomyTerm]:
    """All topic terms by id, kept per process until a term changes (the signals report it)."""
    return {term.pk: term for term in TaxonomyTerm.objects.order_by("name")}


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def offer_ids(documents: list[int]) -> dict[int, uuid.UUID]:
    """The offer of each of these search documents (those still indexed), by document id."""
    if not documents:
        return {}
    condition, param = sql.ids_condition("id", documents)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, offer_id FROM search_searchdocument WHERE {condition}", [param])
        return {doc: _as_uuid(offer) for doc, offer in cursor.fetchall()}


def first_by_name(documents: BitMap, limit: int, *, offset: int = 0) -> list[int]:
    """The first `limit` of these search documents by name, then id, after skipping `offset`:
    what the search sorted by name lists first. A few documents: the database sorts them.
    Many: it walks the (name, id) index in chunks and keeps the members, so a county-wide area
    costs a chunk or two instead of sorting 100,000 rows (370 ms)."""
    if not documents or limit < 1:
        return []
    if len(documents) <= FIRST_BY_ID_LIMIT:
        condition, param = sql.ids_condition("id", list(documents))
        params: list[Any] = [param, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM search_searchdocument WHERE {condition} "
                "ORDER BY name, id LIMIT %s OFFSET %s",
                params,
            )
            return [row[0] for row in cursor.fetchall()]
    first: list[int] = []
    after: tuple[str, int] | None = None
    wanted = offset + limit
    with connection.cursor() as cursor:
        while len(first) < wanted:
            where, params = "", []
            if after is not None:
                # A row value: both databases seek in the index (PostgreSQL only filters the
                # equivalent "name > %s OR (name = %s AND id > %s)").
                where = "WHERE (name, id) > (%s, %s) "
                params = [after[0], after[1]]
            cursor.execute(
                f"SELECT id, name FROM search_searchdocument {where}ORDER BY name, id LIMIT %s",
                [*params, NAME_CHUNK],
            )
            rows = cursor.fetchall()
            first += [doc for doc, _name in rows if doc in documents][: wanted - len(first)]
            if len(rows) < NAME_CHUNK:
                break
            after = (rows[-1][1], rows[-1][0])
    return first[offset:]
