"""Keeping the index current: one document per public offer, rebuilt from the offer's data.

`index_offers(ids)` is what the signals call (through services.offers_index); `reindex_all()`
is the bulk path (services.index_rebuild: it works in batches, with prefetching, so 100,000
offers take minutes, not hours). The caller hands over the backend that writes the full-text
rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from quartier.areas.models import AreaLink
from quartier.offers.models import (
    Cost,
    Offer,
    OfferLocation,
    OfferStatus,
    ScheduleKind,
    TaxonomyTerm,
)
from quartier.search import analysis, facetindex
from quartier.search.backends import Backend, IndexRow
from quartier.search.models import (
    FacetValue,
    IndexedTerm,
    SearchDocument,
    SearchFacet,
    SearchOpening,
    SearchPoint,
)

BATCH = 2000
# Facet key prefix of the areas an offer is filed under directly ("area:<id>" also holds the
# areas above them): pipeline.area_scope finds the offers of the areas enclosing a filter's.
DIRECT_AREA = "at:"


# Area ids (int) and topic ids (UUID) -> the ids of all their ancestors.
Ancestors = dict[Any, set[Any]]


def _offers(ids: Iterable[Any] | None = None) -> QuerySet[Offer]:
    offers = Offer.objects.public().select_related("organisation")
    if ids is not None:
        offers = offers.filter(id__in=list(ids))
    return offers.prefetch_related(
        "topics",
        "target_groups",
        "languages",
        "areas",
        "schedules",
        Prefetch("offer_locations", OfferLocation.objects.select_related("location")),
    ).order_by("pk")


def _ancestors() -> Ancestors:
    """Area id (int) or topic id (UUID) -> all its ancestors' ids. Both hierarchies are small:
    load them whole. An offer filed under "Erziehungsberatung" is found under its broader
    "Hilfen zur Erziehung" too, as an offer of a Stadtteil is found in its Sozialraum."""
    parents: dict[Any, set[Any]] = {}
    for child, parent in AreaLink.objects.values_list("child_id", "parent_id"):
        parents.setdefault(child, set()).add(parent)
    for term, broader in TaxonomyTerm.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id"
    ):
        parents.setdefault(term, set()).add(broader)
    result: Ancestors = {}

    def walk(node: Any, seen: set[Any]) -> set[Any]:
        for parent in parents.get(node, ()):
            if parent not in seen:
                seen.add(parent)
                walk(parent, seen)
        return seen

    for node in parents:
        result[node] = walk(node, set())
    return result


def facet_keys(offer: Offer, ancestors: Ancestors, today: dt.date) -> set[str]:
    keys: set[str] = set()
    for term in offer.topics.all():
        keys.add(f"topic:{term.pk}")
        keys |= {f"topic:{broader}" for broader in ancestors.get(term.pk, ())}
    keys |= {f"group:{group.slug}" for group in offer.target_groups.all()}
    keys |= {f"lang:{language.code}" for language in offer.languages.all()}
    for area in offer.areas.all():
        keys.add(f"area:{area.pk}")
        # Filed under this area itself: an area filter finds it for every area inside too.
        keys.add(f"{DIRECT_AREA}{area.pk}")
        keys |= {f"area:{parent}" for parent in ancestors.get(area.pk, ())}
    if offer.cost == Cost.FREE:
        keys.add("free")
    if any(link.location.wheelchair_accessible for link in offer.offer_locations.all()):
        keys.add("barrier_free")
    if offer.status == OfferStatus.PAUSED:
        return keys  # shown, but open on no day (and no opening rows: see _write_batch)
    for schedule in offer.schedules.all():
        if schedule.kind == ScheduleKind.WEEKLY and (
            schedule.valid_to is None or schedule.valid_to >= today
        ):
            keys.add(f"weekday:{schedule.weekday}")
    return keys


def _texts(offer: Offer) -> tuple[str, str, str]:
    keywords = [offer.organisation.name, offer.alternate_name]
    keywords += [term.name for term in offer.topics.all()]
    keywords += [group.name for group in offer.target_groups.all()]
    keywords += [language.name for language in offer.languages.all()]
    if offer.cost == Cost.FREE:
        keywords.append("kostenlos")
    body = [offer.description, offer.easy_language_description]
    body += [area.name for area in offer.areas.all()]
    for link in offer.offer_locations.all():
        place = link.location
        body += [place.name, place.street, place.city]
        if place.wheelchair_accessible:
            keywords.append("barrierefrei")
    return offer.name, " ".join(filter(None, keywords)), " ".join(filter(None, body))


def _minutes(value: dt.time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


DAY_MINUTES = 24 * 60


def _opening_rows(doc_id: int, s: Any) -> list[tuple[Any, ...]]:
    """A schedule as rows of search_searchopening (minutes since midnight). A closing time of
    00:00 ends the day (1440); hours past midnight (22:00–06:00) are two rows, the evening
    and the next morning, so that "open now" finds them on both days."""
    opens, closes = _minutes(s.opens_at), _minutes(s.closes_at)
    dates = (date_value(s.valid_from), date_value(s.valid_to))
    row = (doc_id, s.kind, s.weekday, opens, closes, *dates)
    if s.kind == "closed" or opens is None or closes is None or closes > opens:
        return [row]
    if closes == 0:
        return [(*row[:4], DAY_MINUTES, *row[5:])]
    evening = (*row[:4], DAY_MINUTES, *row[5:])
    one_day = dt.timedelta(days=1)
    weekday = None if s.weekday is None else (s.weekday + 1) % 7
    valid_from = s.valid_from + one_day if s.valid_from else None
    valid_to = s.valid_to + one_day if s.valid_to else None
    morning = (doc_id, s.kind, weekday, 0, closes, date_value(valid_from), date_value(valid_to))
    return [evening, morning]


def _facet_ids(
    offers: Sequence[Offer], ancestors: Ancestors, today: dt.date
) -> dict[Any, list[int]]:
    """Offer pk -> its FacetValue ids (values created as needed)."""
    keys_by_offer = {offer.pk: facet_keys(offer, ancestors, today) for offer in offers}
    all_keys: set[str] = set().union(*keys_by_offer.values()) if keys_by_offer else set()
    known = dict(FacetValue.objects.filter(key__in=all_keys).values_list("key", "id"))
    FacetValue.objects.bulk_create(
        [FacetValue(key=key) for key in all_keys - known.keys()], ignore_conflicts=True
    )
    known = dict(FacetValue.objects.filter(key__in=all_keys).values_list("key", "id"))
    return {pk: sorted(known[key] for key in keys) for pk, keys in keys_by_offer.items()}


def _documents(
    offers: Sequence[Offer], value_ids: dict[Any, list[int]]
) -> dict[Any, SearchDocument]:
    """Offer pk -> its SearchDocument, created or updated with name and facet ids."""
    documents = {doc.offer_id: doc for doc in SearchDocument.objects.filter(offer__in=offers)}
    for offer in offers:
        doc = documents.get(offer.pk) or SearchDocument(offer=offer)
        doc.name = offer.name
        doc.facet_ids = " ".join(str(value) for value in value_ids[offer.pk])
        documents[offer.pk] = doc
    existing = [doc for doc in documents.values() if doc.pk is not None]
    SearchDocument.objects.bulk_create([doc for doc in documents.values() if doc.pk is None])
    now = _now_value()
    # One prepared UPDATE per row: bulk_update builds a CASE over the batch, which cost 2 ms
    # per document to compile.
    _executemany(
        "UPDATE search_searchdocument SET name = %s, facet_ids = %s, indexed_at = %s WHERE id = %s",
        [(doc.name, doc.facet_ids, now, doc.pk) for doc in existing],
    )
    for doc in SearchDocument.objects.filter(offer__in=offers).only("id", "offer_id"):
        documents[doc.offer_id].pk = doc.pk
    return documents


def _executemany(sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def date_value(value: dt.date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def location_value(value: Any) -> Any:
    """A location's id as the database stores it (a UUID: hex text on SQLite)."""
    return SearchPoint._meta.get_field("location").get_db_prep_save(value, connection)


def _now_value() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _write_batch(
    offers: Sequence[Offer], ancestors: Ancestors, today: dt.date, backend: Backend
) -> None:
    value_ids = _facet_ids(offers, ancestors, today)
    documents = _documents(offers, value_ids)
    doc_ids = [documents[offer.pk].pk for offer in offers]
    for model in (SearchFacet, SearchPoint, SearchOpening):
        model.objects.filter(document_id__in=doc_ids).delete()

    facets: list[tuple[int, int]] = []
    points: list[tuple[int, Any, float, float]] = []
    hours: list[tuple[Any, ...]] = []
    rows: list[IndexRow] = []
    vocabulary: Counter[str] = Counter()
    spellings: Counter[tuple[str, str]] = Counter()  # (stem, word) in names and keywords
    for offer in offers:
        doc_id = documents[offer.pk].pk
        facets += [(doc_id, value) for value in value_ids[offer.pk]]
        points += [
            (doc_id, location_value(link.location_id), link.location.lat, link.location.lon)
            for link in offer.offer_locations.all()
            if link.location.lat is not None and link.location.lon is not None
        ]
        if offer.status != OfferStatus.PAUSED:
            hours += [row for s in offer.schedules.all() for row in _opening_rows(doc_id, s)]
        texts = _texts(offer)
        name, keywords, body = (analysis.index_text(text) for text in texts)
        rows.append(IndexRow(doc_id, name, keywords, body))
        vocabulary.update(set(f"{name} {keywords} {body}".split()))
        spellings.update(analysis.surface_words(" ".join(texts[:2])))
    # Plain tuples through executemany: model instances and bulk_create's SQL compilation
    # cost more than the inserts themselves (about a third of indexing time).
    _executemany("INSERT INTO search_searchfacet (document_id, value_id) VALUES (%s, %s)", facets)
    _executemany(
        "INSERT INTO search_searchpoint (document_id, location_id, lat, lon) "
        "VALUES (%s, %s, %s, %s)",
        points,
    )
    _executemany(
        "INSERT INTO search_searchopening "
        "(document_id, kind, weekday, opens, closes, valid_from, valid_to) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
        hours,
    )
    backend.write(rows)
    _remember_terms(vocabulary, spellings)


def _remember_terms(vocabulary: Counter[str], spellings: Counter[tuple[str, str]]) -> None:
    words: dict[str, str] = {}
    for (stem, word), _count in spellings.most_common():
        words.setdefault(stem, word)
    terms = [t for t in vocabulary if len(t) <= 100]
    IndexedTerm.objects.bulk_create(
        [IndexedTerm(term=t, word=words.get(t, "")[:100], doc_count=vocabulary[t]) for t in terms],
        batch_size=5000,
        ignore_conflicts=True,
    )


@transaction.atomic
def index_offers(offer_ids: Iterable[Any], *, backend: Backend) -> None:
    """Bring the documents of these offers up to date (public ones indexed, others removed)."""
    facetindex.lock_changes()  # before any document row (see there)
    wanted = list(offer_ids)
    offers = list(_offers(wanted))
    public_ids = {offer.pk for offer in offers}
    gone = SearchDocument.objects.filter(offer_id__in=[i for i in wanted if i not in public_ids])
    gone.delete()  # the backend rows go with them (trigger on SQLite, FK cascade on PostgreSQL)
    if offers:
        _write_batch(offers, _ancestors(), dt.date.today(), backend)
    facetindex.trim_changes()


@transaction.atomic
def reindex_all(*, backend: Backend, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the public offers; returns the number indexed."""
    facetindex.lock_changes()
    SearchDocument.objects.all().delete()
    IndexedTerm.objects.all().delete()
    backend.clear()
    ancestors, today = _ancestors(), dt.date.today()
    ids = list(Offer.objects.public().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _write_batch(list(_offers(ids[start : start + BATCH])), ancestors, today, backend)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    # Document frequencies for the typo fallback (which prefers common corrections).
    backend.count_terms()
    facetindex.trim_changes()
    return len(ids)
