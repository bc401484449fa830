import io

from django.core.management import call_command
from django.urls import reverse

from quartier.search.models import SearchDocument, Synonym
from quartier.search.services import search_offers
from tests.factories.offers import OfferFactory, ScheduleFactory


def names(result):
    return [hit.offer.name for hit in result.hits]


def test_admins_add_synonyms_as_data(db):
    # A local name no default group knows (the shipped groups have Tafel and its names).
    OfferFactory(name="Tafel am Markt", description="Lebensmittel für Menschen mit wenig Geld.")
    assert search_offers(query="Brotkorb").total == 0
    Synonym.objects.create(terms="Brotkorb | Tafel")
    assert names(search_offers(query="Brotkorb")) == ["Tafel am Markt"]


def test_reindex_command_rebuilds_from_public_offers(db):
    OfferFactory(name="Jugendtreff Nord")
    OfferFactory(name="Entwurf", review_state="draft")
    SearchDocument.objects.all().delete()
    assert search_offers(query="Jugendtreff").total == 0
    call_command("search_reindex", stdout=io.StringIO())
    assert names(search_offers(query="Jugendtreff")) == ["Jugendtreff Nord"]
    assert SearchDocument.objects.count() == 1


def test_changed_hours_reach_the_index(db):
    offer = OfferFactory(name="Sprechstunde")
    schedule = ScheduleFactory(offer=offer, weekday=2)
    assert search_offers(query="Sprechstunde").facets.get("weekday:2") == 1
    schedule.delete()
    assert "weekday:2" not in search_offers(query="Sprechstunde").facets


def test_area_page_shows_the_offers_section(client, db):
    from tests.factories.areas import AreaFactory

    area = AreaFactory(slug="nordstadt", name="Nordstadt")
    OfferFactory(name="Stadtteilcafé", areas=[area])
    response = client.get(reverse("areas:detail", kwargs={"slug": area.slug}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 Angebot ist für dieses Gebiet da." in content
    assert "Stadtteilcafé" in content
    assert f"?area={area.pk}" in content


def test_search_is_in_the_main_navigation(client, db):
    response = client.get(reverse("search:search"))
    assert 'href="/angebote/"' in response.content.decode()


def test_a_renamed_organisation_or_area_is_found_by_its_new_name(db):
    from tests.factories.areas import AreaFactory

    area = AreaFactory(name="Pallien")
    offer = OfferFactory(name="Sprechstunde", areas=[area])
    organisation = offer.organisation
    organisation.name = "Stadtteilbüro Zewen"
    organisation.save()
    assert [o.pk for o in search_offers(query="Zewen").offers] == [offer.pk]
    area.name = "Ehrang"
    area.save()
    assert [o.pk for o in search_offers(query="Ehrang").offers] == [offer.pk]
    assert search_offers(query="Pallien").total == 0
    # Saving without a new name re-indexes nothing.
    before = SearchDocument.objects.get(offer=offer).indexed_at
    organisation.save()
    assert SearchDocument.objects.get(offer=offer).indexed_at == before
