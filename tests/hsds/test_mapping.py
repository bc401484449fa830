"""Our topics' mapping onto the exchange taxonomy: shown on services, found by, round-tripped."""

from __future__ import annotations

import json

import pytest

from quartier.api.hsds.services import catalogue_export, catalogue_import
from quartier.offers.models import Offer, Taxonomy, TermMapping
from tests.hsds.client import get_json as _get
from tests.hsds.client import names as _names
from tests.hsds.factories import add_exchange, build_catalogue
from tests.hsds.test_exchange import _empty_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    c = build_catalogue()
    return c, add_exchange(c)


def _terms(service: dict) -> dict[str, str]:
    return {
        a["taxonomy_term"]["code"]: a["taxonomy_term"]["taxonomy_id"]
        for a in service["attributes"]
        if "code" in a.get("taxonomy_term", {})
    }


def test_services_carry_the_exchange_terms_their_topics_map_onto(catalogue):
    c, x = catalogue
    terms = _terms(_get(f"/api/hsds/services/{c.offer.pk}"))
    # Its own topic, the term it is mapped onto as broader, the mapping of its broader topic;
    # not the merely related one.
    assert terms["erziehungsberatung"] == str(c.taxonomy.pk)
    assert terms["family.parenting"] == str(x.taxonomy.pk)
    assert terms["counselling"] == str(x.taxonomy.pk)
    assert "community" not in terms and "family" not in terms
    other = _terms(_get(f"/api/hsds/services/{c.other_offer.pk}"))
    assert set(other) == {"beratung", "counselling"}
    listed = _get("/api/hsds/services?full=true")["contents"][0]
    assert "family.parenting" in _terms(listed)


def test_services_are_found_by_exchange_terms(catalogue):
    _c, x = catalogue
    assert _names(f"/api/hsds/services?taxonomy_term_id={x.parenting.pk}") == [
        "Erziehungsberatung im Quartier"
    ]
    assert _names(f"/api/hsds/services?taxonomy_term_id={x.family.pk}") == [
        "Erziehungsberatung im Quartier"
    ]
    assert _names(f"/api/hsds/services?taxonomy_term_id={x.counselling.pk}") == [
        "Erziehungsberatung im Quartier",
        "Schuldnerberatung",
    ]
    assert _names(f"/api/hsds/services?taxonomy_term_id={x.community.pk}") == []
    assert _get(f"/api/hsds/services?taxonomy_id={x.taxonomy.pk}")["total_items"] == 2
    sal = _get(f"/api/hsds/service_at_locations?taxonomy_term_id={x.parenting.pk}")
    assert sal["total_items"] == 1


def test_a_mapping_removed_is_no_longer_shown_or_found(catalogue):
    c, x = catalogue
    TermMapping.objects.filter(target=x.parenting).delete()
    assert "family.parenting" not in _terms(_get(f"/api/hsds/services/{c.offer.pk}"))
    assert _names(f"/api/hsds/services?taxonomy_term_id={x.parenting.pk}") == []


def test_reimport_does_not_turn_mapped_terms_into_topics(catalogue, tmp_path):
    c, x = catalogue
    first = tmp_path / "first.json"
    catalogue_export(path=first, fmt="json")
    catalogue_import(path=first, publish=True)
    assert list(Offer.objects.get(pk=c.offer.pk).topics.all()) == [c.child_term]
    second = tmp_path / "second.json"
    catalogue_export(path=second, fmt="json")
    assert second.read_text() == first.read_text()
    [service] = [s for s in json.loads(first.read_text())["services"] if s["id"] == str(c.offer.pk)]
    assert str(x.parenting.pk) in {a["taxonomy_term_id"] for a in service["attributes"]}


def test_round_trip_into_an_empty_database_keeps_the_exchange_terms(catalogue, tmp_path):
    c, x = catalogue
    first = tmp_path / "first.json"
    catalogue_export(path=first, fmt="json")
    _empty_catalogue()
    assert not Taxonomy.objects.exists()
    catalogue_import(path=first, publish=True)
    # Without the mapping, the exchange terms stay as topics of their own: the same output.
    assert x.parenting.pk in set(
        Offer.objects.get(pk=c.offer.pk).topics.values_list("pk", flat=True)
    )
    second = tmp_path / "second.json"
    catalogue_export(path=second, fmt="json")
    assert second.read_text() == first.read_text()
