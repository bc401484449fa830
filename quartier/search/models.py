"""The search index: one document per public offer, its facet values, points and hours.

These tables are derived data: `quartier search_reindex` rebuilds them from the offers at any
time. Signals (quartier/search/signals.py) keep them current as offers change. The full-text
part lives in a backend table created by migration 0002 (an FTS5 table on SQLite, a tsvector
table on PostgreSQL), keyed by SearchDocument.id.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from quartier.search import analysis


class Synonym(models.Model):
    """A group of terms that mean the same in a search (Kita = Kindertagesstätte). Data, not
    code: admins edit the groups; a term may have several words."""

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "Terms of equal meaning, separated by a vertical bar: Kita | Kindertagesstätte"
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return self.split_terms(self.terms)

    @staticmethod
    def split_terms(terms: str) -> list[str]:
        return [term.strip() for term in terms.split("|") if term.strip()]


class SearchDocument(models.Model):
    """A public offer as the search sees it. Offers that are not public have no document."""

    offer = models.OneToOneField(
        "offers.Offer", on_delete=models.CASCADE, related_name="search_document"
    )
    name = models.CharField(max_length=250)
    # FacetValue ids, space-separated: facet counts read one short string per hit and count
    # in Python, which is several times cheaper than a GROUP BY over the facet rows (see
    # docs/adr/0002-search-layer.md). SearchFacet stays the index for filtering.
    facet_ids = models.TextField(default="", blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            # Lists sorted by name (the search's "name" order, an area's first offers).
            models.Index(fields=["name", "id"], name="search_document_name_id"),
        ]

    def __str__(self) -> str:
        return self.name


class FacetValue(models.Model):
    """A value one can filter by: "topic:<uuid>", "group:<slug>", "area:<id>", "lang:<code>",
    "free", "barrier_free", "weekday:<0-6>". Integer ids keep the facet table small."""

    key = models.CharField(max_length=80, unique=True)

    def __str__(self) -> str:
        return self.key


class SearchFacet(models.Model):
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    value = models.ForeignKey(FacetValue, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            # Both directions are covering: counting per document, filtering per value.
            models.Index(fields=["document", "value"], name="search_facet_doc_value"),
            models.Index(fields=["value", "document"], name="search_facet_value_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.value_id}"


class SearchPoint(models.Model):
    """A place where the offer is given (one per location with coordinates)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="points")
    location = models.ForeignKey("offers.Location", on_delete=models.CASCADE, related_name="+")
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["lat", "lon", "document"], name="search_point_lat_lon"),
            models.Index(fields=["document", "lat", "lon"], name="search_point_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.lat:.5f},{self.lon:.5f}"


class SearchOpening(models.Model):
    """A copy of an offer's schedule rows in minutes since midnight, for open-now in SQL."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="hours")
    kind = models.CharField(max_length=10)
    weekday = models.PositiveSmallIntegerField(null=True)
    opens = models.PositiveSmallIntegerField(null=True)
    closes = models.PositiveSmallIntegerField(null=True)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["weekday", "kind"], name="search_opening_weekday"),
            models.Index(fields=["document", "kind", "weekday"], name="search_opening_doc"),
            models.Index(fields=["kind", "valid_from"], name="search_opening_dated"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.weekday} {self.opens}-{self.closes}"


class IndexedTerm(models.Model):
    """The vocabulary of the index (stems), for the one-typo fallback. Grows with indexing;
    stale terms are harmless (they find nothing) and vanish on the next reindex."""

    term = models.CharField(max_length=100, unique=True)
    # The commonest way the catalogue writes a word with this stem ("beratung" for "berat"),
    # shown as the corrected query. Empty for compound parts never written alone.
    word = models.CharField(max_length=100, blank=True, default="")
    doc_count = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.term


class IndexVersion(models.Model):
    """The analysis (analysis.VERSION) the index was last rebuilt with: one row. After
    `migrate`, an index built with another analysis is rebuilt (signals.on_post_migrate)."""

    analysis = models.PositiveIntegerField(_("analysis version"), default=0)
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        verbose_name = _("index version")
        verbose_name_plural = _("index versions")

    def __str__(self) -> str:
        return f"analysis {self.analysis}"


def synonym_map() -> dict[str, list[tuple[str, ...]]]:
    """Synonym key -> the phrases of every term of the groups it belongs to, its own included.

    Every term is a key (analysis.synonym_key: its words' stems, "allgemein sozial dien"), one
    word or several, so each group works in every direction: "ASD" finds "Allgemeiner Sozialer
    Dienst" and back, and so do two multi-word terms of one group (see
    analysis.build_synonym_map). One query and no other state: a pure function of the Synonym
    table, safe to cache per process as long as the cache is dropped when a group changes.
    """
    rows = Synonym.objects.order_by("terms", "pk").values_list("terms", flat=True)
    return analysis.build_synonym_map(Synonym.split_terms(terms) for terms in rows)
