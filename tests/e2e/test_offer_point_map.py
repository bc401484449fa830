"""The map picker on the back-office offer form (offers/static/offers/point-map.js) in a real
browser: the map shows the stored point; a click on the map fills latitude and longitude, and
the saved point is the editor's own ("manual")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from quartier.core.geocoding import Source
from tests.world import build_world

pytestmark = [pytest.mark.e2e]

TILES = "https://tile.openstreetmap.org/"


@pytest.mark.django_db(transaction=True)
def test_a_click_on_the_map_fills_the_fields_and_saves_a_manual_point(page, live_server):
    world = build_world()
    offer = world.offer
    location = offer.locations.first()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.route(TILES + "**", lambda route: route.abort())  # no tile leaves the machine
    client = Client()
    client.force_login(world.users["coordinator"])
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(reverse("backoffice:offers:edit", kwargs={"pk": offer.pk}))
    lat, lon = page.locator("#id_locations-0-lat"), page.locator("#id_locations-0-lon")
    expect(lat).to_have_value(str(location.lat))
    picker = page.locator(".offer-point-map").first
    expect(picker).to_be_visible()
    # The stored point is shown as a marker (draggable).
    expect(picker.locator(".leaflet-marker-icon")).to_have_count(1)

    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(lat).not_to_have_value(str(location.lat))
    expect(page.locator("[data-point-status]").first).to_have_text(
        "Punkt gesetzt. Zum Übernehmen speichern."
    )
    new_lat, new_lon = float(lat.input_value()), float(lon.input_value())
    assert new_lat < location.lat and new_lon < location.lon  # left of and below the centre
    # Typing moves the marker back: the fields and the map agree both ways.
    lat.fill(str(location.lat))
    lat.dispatch_event("change")
    assert errors == []

    lat.fill(str(new_lat))
    with page.expect_navigation():
        page.locator("form.offer-form > button[type=submit]").click()
    saved = type(location).objects.get(offer_locations__offer=offer)
    assert (saved.lat, saved.lon, saved.position_source) == (new_lat, new_lon, Source.MANUAL)
