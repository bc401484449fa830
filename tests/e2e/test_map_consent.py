"""Map consent in a real browser (core/maps.py, js/map-tiles.js): with the default third-party
tile server, no tile is requested before the visitor clicks "Karte laden"; the map shows its
markers meanwhile; the choice is remembered and can be withdrawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories.events import EventFactory
from tests.factories.offers import LocationFactory, OfferFactory

pytestmark = [pytest.mark.e2e]

TILES = "https://tile.openstreetmap.org/"
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


@pytest.fixture
def tile_requests(page) -> list[str]:
    """Every request the page makes to the tile server (answered with a blank tile)."""
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(f"error: {error}"))
    page.on("request", lambda request: request.url.startswith(TILES) and seen.append(request.url))
    page.route(TILES + "**", lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"))
    return seen


@pytest.fixture
def places(transactional_db):
    offers = [
        OfferFactory(
            name=f"Beratungsstelle Trier {n}",
            description="Beratung und Begleitung für Familien.",
            locations=[LocationFactory(lat=49.756 + n * 0.001, lon=6.64 + n * 0.001)],
        )
        for n in range(3)
    ]
    event = EventFactory(title="Stadtteilfest Trier-West", lat=49.7569, lon=6.6285)
    return {"offers": offers, "event": event}


@pytest.mark.django_db(transaction=True)
def test_no_tile_request_before_consent_on_the_offer_map(page, tile_requests, places):
    page.goto("/angebote/?q=Beratung")
    expect(page.locator(".search-summary")).to_contain_text("3 Angebote gefunden")
    page.goto("/angebote/karte/?q=Beratung")
    expect(page.locator("#map-status")).to_have_text("3 Angebote in diesem Kartenausschnitt.")
    # The markers stand on a plain background; the notice names the server.
    expect(page.locator("#offer-map .leaflet-marker-icon").first).to_be_visible()
    notice = page.locator(".map-consent")
    expect(notice).to_contain_text("tile.openstreetmap.org")
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
    assert page.locator("#offer-map .leaflet-tile").count() == 0

    with page.expect_request(lambda request: request.url.startswith(TILES)):
        page.get_by_role("button", name="Karte laden").click()
    expect(notice).to_have_count(0)
    expect(page.locator("#offer-map .leaflet-tile").first).to_be_attached()

    # Remembered: the next page loads tiles at once, without the notice.
    tile_requests.clear()
    page.goto(places["event"].get_absolute_url())
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".map-consent")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert tile_requests

    # Withdrawn: the notice is back and no tile is requested any more.
    page.get_by_role("button", name="Karte nicht mehr laden").click()
    expect(page.get_by_role("button", name="Karte laden")).to_be_focused()
    tile_requests.clear()
    page.reload()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".map-consent")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert tile_requests == []


@pytest.mark.django_db(transaction=True)
def test_no_tile_request_before_consent_on_an_event_page(page, tile_requests, places):
    page.goto(places["event"].get_absolute_url())
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.get_by_role("button", name="Karte laden")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
