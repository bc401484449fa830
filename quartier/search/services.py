"""The search's front door: what other apps call (docs/architecture.md, "Search").

Nothing outside quartier/search imports another module of it (tests/core/test_structure.py).

Finding offers:
- `search_offers`: public offers for a text and filters, one page of hits with facet counts
  over the whole result (the search page, its API, the guided search, alerts' digests). Its
  signature and the fields of SearchFilters and SearchResult only grow; they do not change.
- `offers_match_text`: every public offer a text finds, with its rank (the HSDS API).
- `area_offers`: how many offers serve an area (sub-areas and enclosing areas included), and
  the first: its own by name, then those of the areas enclosing it.
- `SearchForm`: the search page's query string parsed and checked (alerts keep it).

Keeping the index current:
- `offers_index`: (re)index these offers; `index_rebuild`: all of them; `index_outdated`:
  the index was built with another analysis (analysis.VERSION; `migrate` rebuilds it).
- `vocabulary_invalidate`: synonyms, topics, target groups, languages or areas changed in bulk
  (no signals): every process drops its copies.
- `index_refresh`: bring this process's index up to date now (before many searches that each
  run in a transaction of their own).

Inside, every search runs one way (pipeline.py): parse → plan → match and rank → count → page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from quartier.offers.models import Offer
from quartier.search import analysis, areascope, facetindex, indexing, pipeline, results, sql
from quartier.search.backends import get_backend
from quartier.search.forms import SearchForm
from quartier.search.models import IndexVersion, SearchDocument
from quartier.search.pipeline import SearchFilters
from quartier.search.results import Hit, OfferSummary, SearchResult

__all__ = [
    "AreaOffers",
    "Hit",
    "OfferSummary",
    "SearchFilters",
    "SearchForm",
    "SearchResult",
    "TextMatch",
    "area_offers",
    "index_outdated",
    "index_rebuild",
    "index_refresh",
    "offers_index",
    "offers_match_text",
    "search_offers",
    "vocabulary_invalidate",
]

MAX_PER_PAGE = 100
MAX_PAGE = 500
# The most text matches ranked for one request (more than any county's catalogue holds).
MAX_TEXT_MATCHES = 1_000_000


@dataclass(frozen=True)
class TextMatch:
    """The public offers a text finds: `offers` selects their ids (`offer_id`, a subquery
    for `pk__in`), `rank` gives each one's place in the order of relevance (0 is best)."""

    offers: QuerySet[SearchDocument, Any]
    rank: dict[uuid.UUID, int]


@dataclass(frozen=True)
class AreaOffers:
    count: int  # public offers serving the area, an area below it or one enclosing it
    # The first of them: the area's own by name, then those of enclosing areas by name, with
    # their organisations; each with `serves_all_of`, the name of the enclosing area it
    # serves as a whole ("" for the area's own offers).
    offers: Sequence[Offer]


def search_offers(
    *,
    query: str = "",
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
    index: facetindex.FacetIndex | None = None,
) -> SearchResult:
    """Search the public offers.

    query: free text in German (any input is safe: operators, quotes and SQL are plain words
    here). filters: see SearchFilters. page counts from 1; per_page is clamped to 1..100 and
    page to 1..500, and `notices` says so. Returns the hits of the page (a summary of
    each offer, the offer itself loaded on first use, distance in metres when `filters.near`
    is set), the total, facet counts over the whole result set, and `corrected_query` when
    no offer matched the query as typed but one matched with one typo corrected. Only public
    offers are found. A bounded number of queries whatever the result size. `index`: the
    process's index the caller already holds (SearchForm.index), to probe the change log once.
    """
    filters = filters or SearchFilters()
    notices: list[str] = []
    if not 1 <= per_page <= MAX_PER_PAGE:
        per_page = min(max(per_page, 1), MAX_PER_PAGE)
        notices.append(_("Results per page were limited to %(n)d.") % {"n": per_page})
    if not 1 <= page <= MAX_PAGE:
        page = min(max(page, 1), MAX_PAGE)
        notices.append(_("The page number was limited to %(n)d.") % {"n": page})
    index = index or facetindex.current()
    parsed = pipeline.parse(query, index)
    if parsed.truncated:
        notices.append(_("The search text was shortened to its first words."))
    planned = pipeline.plan(
        parsed,
        filters,
        backend=get_backend(),
        index=index,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    counted, corrected = _count_or_correct(planned)
    documents = pipeline.page(counted)
    scope = counted.matched.plan.areas
    enclosing = areascope.enclosing_names(index, scope, documents) if scope else None
    return SearchResult(
        hits=results.hits(documents, filters.near, index, enclosing),
        total=counted.total,
        page=page,
        per_page=per_page,
        facets=counted.facets,
        query=query,
        corrected_query=corrected,
        notices=notices,
    )


def _count_or_correct(planned: pipeline.Plan) -> tuple[pipeline.Counted, str | None]:
    """The counts of the plan; when its text finds nothing, those of the text with a typo
    corrected if that finds something (and the corrected text)."""
    counted = pipeline.count(pipeline.match(planned))
    if counted.total or planned.query.is_empty:
        return counted, None
    fixed = pipeline.corrected(planned)
    if fixed is None:
        return counted, None
    retried = pipeline.count(pipeline.match(fixed))
    if not retried.total:
        return counted, None
    return retried, " ".join(term.text for term in fixed.query.terms)


def offers_match_text(*, text: str) -> TextMatch:
    """The public offers the search finds for `text` (stemming, folding, compounds, synonyms,
    one typo), with their order of relevance: the same matching as `search_offers`, without
    filters. Text without a searchable word matches nothing."""
    index = facetindex.current()
    parsed = pipeline.parse(text, index)
    if parsed.is_empty:
        return TextMatch(SearchDocument.objects.none().values("offer_id"), {})
    planned = pipeline.plan(
        parsed,
        SearchFilters(),
        backend=get_backend(),
        index=index,
        limit=MAX_TEXT_MATCHES,
        facets=False,
    )
    counted, _corrected = _count_or_correct(planned)
    documents = pipeline.page(counted)
    offers = results.offer_ids(documents)
    rank: dict[uuid.UUID, int] = {}
    for doc in documents:
        if doc in offers:
            rank.setdefault(offers[doc], len(rank))
    chosen, params = sql.ids_select(documents)  # constant SQL, the ids as one parameter
    found = SearchDocument.objects.filter(id__in=RawSQL(chosen, params)).values("offer_id")  # noqa: S611
    return TextMatch(found, rank)


def area_offers(*, area_id: int, first: int) -> AreaOffers:
    """The number of public offers serving the area (an offer in a sub-area counts for the
    area above it; one filed under an enclosing area, a city-wide service, for every area
    inside that) and the first `first` of them: the area's own by name, then those of the
    enclosing areas, as the search sorted by name lists them. From the facet bitmaps and the
    name index: three queries for a small area (the change log's probe, the first by name,
    their offers), one more for the first of the enclosing areas' offers."""
    index = facetindex.current()
    scope = areascope.scope(index, [area_id])
    documents = index.any_of(scope.keys) & index.documents
    if not documents:
        return AreaOffers(0, [])
    own, enclosing = areascope.split(index, scope, documents)
    chosen = results.first_by_name(own, first)
    if len(chosen) < first and enclosing:
        chosen += results.first_by_name(enclosing, first - len(chosen))
    names = areascope.enclosing_names(index, scope, chosen)
    position = {doc: number for number, doc in enumerate(chosen)}
    # By primary key, "public" checked in Python: with the visibility filter in SQL, SQLite
    # (without ANALYZE statistics) walks all published offers (200-350 ms at 100,000).
    loaded = (
        Offer.objects.filter(search_document__id__in=chosen)
        .select_related("organisation")
        .annotate(document=F("search_document__id"))
    )
    offers = sorted(
        (offer for offer in loaded if offer.is_public),
        key=lambda offer: position[offer.document],
    )
    for offer in offers:
        offer.serves_all_of = names.get(offer.document, "")  # type: ignore[attr-defined]
    return AreaOffers(len(documents), offers)


def offers_index(*, offer_ids: Iterable[uuid.UUID]) -> None:
    """Bring the search documents of these offers up to date: public ones indexed, others
    removed (in the caller's transaction, if any)."""
    indexing.index_offers(offer_ids, backend=get_backend())


def index_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the public offers; returns how many were indexed.

    Not atomic itself: the rebuild is one transaction, the backend's housekeeping after it
    (PostgreSQL: VACUUM) runs outside any (skipped inside the caller's transaction)."""
    backend = get_backend()
    indexed = indexing.reindex_all(backend=backend, progress=progress)
    IndexVersion.objects.update_or_create(pk=1, defaults={"analysis": analysis.VERSION})
    backend.after_rebuild()
    return indexed


def index_outdated() -> bool:
    """Whether the index holds documents analysed otherwise than this code does
    (analysis.VERSION); an empty index is never outdated (and gets the version noted)."""
    built = IndexVersion.objects.filter(pk=1).values_list("analysis", flat=True).first()
    if built == analysis.VERSION:
        return False
    if not SearchDocument.objects.exists():
        IndexVersion.objects.update_or_create(pk=1, defaults={"analysis": analysis.VERSION})
        return False
    return True


def vocabulary_invalidate() -> None:
    """Tell every process that synonyms or the labels of facet values (topics, target groups,
    languages, areas) changed: they drop their copies. The signals do this for single saves;
    bulk writes without signals call it themselves."""
    facetindex.vocabulary_changed()


def index_refresh() -> None:
    """Bring this process's index up to date with the database now. Outside a transaction the
    refreshed index is kept, so searches in transactions of their own that follow read it
    instead of each building a private copy (facetindex.current)."""
    facetindex.current()
