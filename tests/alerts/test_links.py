"""Where residents find alerts: under a search's results and on an area's start page."""

from django.urls import reverse

from tests.factories.areas import AreaFactory
from tests.factories.offers import OfferFactory


def test_search_results_offer_an_alert_for_the_same_search(client, db):
    OfferFactory(name="Erziehungsberatung")
    page = client.get(reverse("search:search"), {"q": "Beratung"}).content.decode()
    assert "Neue Angebote zu dieser Suche per E-Mail erhalten" in page
    assert reverse("alerts:create") + "?q=Beratung" in page


def test_area_page_offers_an_area_alert(client, db):
    area = AreaFactory(name="Mariahof", slug="mariahof")
    page = client.get(reverse("areas:detail", kwargs={"slug": area.slug})).content.decode()
    assert reverse("alerts:create") + "?alert_area=mariahof" in page


def test_the_alert_form_is_prefilled_from_the_area_link(client, db):
    AreaFactory(name="Mariahof", slug="mariahof")
    page = client.get(reverse("alerts:create"), {"alert_area": "mariahof"}).content.decode()
    assert 'value="mariahof" selected' in page
