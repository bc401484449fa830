"""The offer map in a real browser: clustered markers, reloads per map section, the same result
set as the list, popups that lead to the offer, keyboard use, axe-core, a clean console.

The map tiles come from openstreetmap.org in production; here every tile request gets a blank
image, so the tests need no network and the console stays clean.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories.offers import LocationFactory, OfferFactory

pytestmark = [pytest.mark.e2e]

BLOCKING = {"serious", "critical"}
# A transparent 1x1 PNG for every map tile.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
# Offers matching "Beratung": eight in the centre of Trier, four in Konz, one in Saarburg
# (about 10 and 17 km apart: separate clusters at the first view, which shows them all).
TRIER = [(49.7560 + n * 0.0012, 6.6400 + n * 0.0010) for n in range(8)]
KONZ = [(49.7010 + n * 0.0010, 6.5750 + n * 0.0010) for n in range(4)]
SAARBURG = (49.6090, 6.5500)
MATCHES = len(TRIER) + len(KONZ) + 1
SHOWN = "{n} Angebote in diesem Kartenausschnitt."


def _offer(name: str, place: tuple[float, float], **kwargs):
    kwargs.setdefault("description", "Beratung und Begleitung für Familien.")
    return OfferFactory(
        name=name, locations=[LocationFactory(lat=place[0], lon=place[1])], **kwargs
    )


@pytest.fixture
def offers(transactional_db):
    created = [_offer(f"Beratungsstelle Trier {n}", place) for n, place in enumerate(TRIER)]
    created += [_offer(f"Beratungsstelle Konz {n}", place) for n, place in enumerate(KONZ)]
    created.append(_offer("Beratungsstelle Saarburg", SAARBURG))
    _offer("Jugendtreff Ehrang", (49.8000, 6.6800), description="Offener Treff.")  # no match
    _offer("Beratung im Entwurf", TRIER[0], review_state="draft")  # not public
    return created


@pytest.fixture
def console(page):
    """Console errors and uncaught exceptions of the page; blank tiles instead of the network."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"),
    )
    return errors


def _is_geojson(response, *, bbox: bool) -> bool:
    return "/api/search/offers.geojson" in response.url and ("bbox=" in response.url) == bbox


def _open_map_from_the_list(page) -> dict:
    """The search for "Beratung", then its map; returns the GeoJSON the map loaded."""
    page.goto("/angebote/?q=Beratung")
    with page.expect_response(lambda r: _is_geojson(r, bbox=False)) as first:
        page.get_by_role("link", name="Auf der Karte zeigen").click()
    page.wait_for_url("**/angebote/karte/?q=Beratung")
    expect(page.locator("#map-status")).to_have_text(SHOWN.format(n=MATCHES))
    return first.value.json()


def _wait_for_places(page, expected: int) -> None:
    """Wait until the markers and cluster counts in view add up to `expected` places."""
    page.wait_for_function(
        """expected => {
            const map = document.getElementById("offer-map");
            if (map.getAttribute("aria-busy")) { return false; }
            let places = 0;
            for (const icon of map.querySelectorAll(".leaflet-marker-pane > *")) {
                if (icon.style.opacity === "0") { continue; }  // fading out
                places += icon.classList.contains("marker-cluster")
                    ? Number(icon.querySelector("span[aria-hidden]").textContent) : 1;
            }
            return places === expected;
        }""",
        arg=expected,
    )


def _bbox(response) -> list[float]:
    return [float(v) for v in parse_qs(urlparse(response.url).query)["bbox"][0].split(",")]


def _press_tab_until(page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the keyboard focus")


@pytest.mark.django_db(transaction=True)
def test_map_shows_the_same_offers_as_the_list_in_clusters(page, console, offers):
    collection = _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    expect(page.locator(".marker-cluster").first).to_be_visible()
    mapped = {feature["properties"]["offer"] for feature in collection["features"]}
    listed = {
        re.search(r"/angebote/([0-9a-f-]{36})/", href).group(1)
        for href in page.locator(".search-hits h2 a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    }
    assert mapped == listed == {str(offer.pk) for offer in offers}
    expect(page.locator(".search-summary")).to_contain_text(f"{MATCHES} Angebote gefunden")
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_a_new_search_on_the_map_page_updates_map_and_list(page, console, offers):
    _open_map_from_the_list(page)
    search = page.get_by_role("searchbox", name="Suchen nach")
    search.fill("Konz")
    with page.expect_response(lambda r: _is_geojson(r, bbox=False)) as reloaded:
        search.press("Enter")
    page.wait_for_url("**/angebote/karte/?q=Konz*")
    assert len(reloaded.value.json()["features"]) == len(KONZ)
    expect(page.locator("#map-status")).to_have_text(SHOWN.format(n=len(KONZ)))
    expect(page.locator(".search-summary")).to_contain_text(f"{len(KONZ)} Angebote gefunden")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # a page, not a page in a page
    _wait_for_places(page, len(KONZ))
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_zooming_and_panning_load_the_visible_section(page, console, offers):
    _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    # Zoom into Konz by its cluster: only its four places are loaded and shown.
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)) as zoomed:
        page.get_by_role("button", name="4 Orte: hineinzoomen").click()
    west, south, east, north = _bbox(zoomed.value)
    assert all(west <= lon <= east and south <= lat <= north for lat, lon in KONZ)
    assert not west <= TRIER[0][1] <= east or not south <= TRIER[0][0] <= north
    assert len(zoomed.value.json()["features"]) == len(KONZ)
    expect(page.locator("#map-status")).to_have_text(SHOWN.format(n=len(KONZ)))
    _wait_for_places(page, len(KONZ))
    # Drag the map by most of its width: a new section is requested, and the places in it
    # are what the map shows.
    box = page.locator("#offer-map").bounding_box()
    y = box["y"] + box["height"] / 2
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)) as panned:
        page.mouse.move(box["x"] + box["width"] - 20, y)
        page.mouse.down()
        page.mouse.move(box["x"] + 20, y, steps=10)
        page.mouse.up()
    moved = _bbox(panned.value)
    assert moved[0] > west  # the section moved east
    inside = [
        (lat, lon)
        for lat, lon in [*TRIER, *KONZ, SAARBURG]
        if moved[0] <= lon <= moved[2] and moved[1] <= lat <= moved[3]
    ]
    assert len(panned.value.json()["features"]) == len(inside) < len(KONZ)
    expect(page.locator("#map-status")).to_have_text(SHOWN.format(n=len(inside)))
    _wait_for_places(page, len(inside))
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_marker_popup_leads_to_the_offer(page, console, offers):
    _open_map_from_the_list(page)
    page.get_by_role("button", name="Beratungsstelle Saarburg").click()
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Beratungsstelle Saarburg")
    expect(link).to_be_focused()
    link.click()
    saarburg = offers[-1]
    page.wait_for_url(f"**/angebote/{saarburg.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beratungsstelle Saarburg")
    assert uuid.UUID(page.url.rstrip("/").rsplit("/", 1)[1]) == saarburg.pk
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_map_works_with_the_keyboard(page, console, offers):
    _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    # A marker: Enter opens its popup with the focus on the link, Escape goes back.
    marker = 'img.leaflet-marker-icon[alt="Beratungsstelle Saarburg"]'
    _press_tab_until(page, marker)
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(page.locator(marker)).to_be_focused()
    # A cluster: Enter zooms into it, the focus stays on the map.
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)) as zoomed:
        page.locator(".marker-cluster", has_text="4 Orte").focus()
        page.keyboard.press("Enter")
    assert len(zoomed.value.json()["features"]) == len(KONZ)
    expect(page.locator("#offer-map")).to_be_focused()
    # The map itself: an arrow key pans, the zoom buttons zoom.
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)) as panned:
        page.keyboard.press("ArrowRight")
    assert _bbox(panned.value)[0] > _bbox(zoomed.value)[0]
    _press_tab_until(page, 'a.leaflet-control-zoom-out[aria-label="Verkleinern"]')
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)) as zoomed_out:
        page.keyboard.press("Enter")
    before, after = _bbox(panned.value), _bbox(zoomed_out.value)
    assert after[2] - after[0] > before[2] - before[0]  # a wider section
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_map_page_has_no_serious_accessibility_violations(page, console, offers):
    _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    page.get_by_role("button", name="Beratungsstelle Saarburg").click()
    expect(page.locator(".leaflet-popup-content a")).to_be_focused()
    # Leaflet fades the popup in; axe must see it, not its half-transparent first frames.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    results = Axe().run(page)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING
    ]
    assert not problems, "\n".join(problems)
    assert console == []


# Near me: the browser's position, a point on the map, the map's centre.


def _context_page(browser, live_server, **options):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"),
    )
    return context, page


def _listed_names(page) -> list[str]:
    return page.locator(".search-hits h2 a").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_use_my_location_searches_around_the_browser_position(browser, live_server, offers):
    konz = KONZ[0]
    context, page = _context_page(
        browser,
        live_server,
        geolocation={"latitude": konz[0] + 0.00012, "longitude": konz[1]},
        permissions=["geolocation"],
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/angebote/?q=Beratung")
    button = page.get_by_role("button", name="Meinen Standort verwenden")
    expect(page.locator("#use-location-help")).to_contain_text("speichert ihn nicht")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"lat=49\.701&lon=6\.575"))
    expect(page.locator(".search-hits h2 a").first).to_have_text("Beratungsstelle Konz 0")
    expect(page.locator(".search-hits .distance").first).to_have_text("0 m entfernt")
    names = _listed_names(page)
    assert names[: len(KONZ)] == [f"Beratungsstelle Konz {n}" for n in range(len(KONZ))]
    expect(page.locator(".search-point")).to_contain_text("Gesucht wird um den Punkt 49,7010")
    # Only the page's address holds the position: no local storage (htmx's history cache
    # included), no cookie.
    stored = page.evaluate("Object.values(localStorage).join(' ')")
    assert "49.70" not in stored and "lat=" not in stored
    assert all("49.70" not in cookie["value"] for cookie in page.context.cookies())
    assert errors == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_use_my_location_says_when_the_browser_refuses(browser, live_server, offers):
    context, page = _context_page(browser, live_server)  # no permission: refused
    page.goto("/angebote/?q=Beratung")
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(page.locator("#use-location-status")).to_have_text(
        "Ihr Browser hat den Standort nicht mitgeteilt. Geben Sie stattdessen eine Adresse ein."
    )
    assert "lat=" not in page.url
    context.close()


@pytest.mark.django_db(transaction=True)
def test_search_around_the_map_centre_by_keyboard(page, console, offers):
    _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)):
        page.locator(".marker-cluster", has_text="4 Orte").focus()
        page.keyboard.press("Enter")
    _press_tab_until(page, "#map-search-centre")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "lat=" in page.url and "lon=" in page.url and "q=Beratung" in page.url
    names = _listed_names(page)
    assert set(names[: len(KONZ)]) == {f"Beratungsstelle Konz {n}" for n in range(len(KONZ))}
    expect(page.locator(".search-hits .distance").first).to_contain_text("m entfernt")
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_a_click_on_the_map_offers_a_search_around_that_point(page, console, offers):
    _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    box = page.locator("#offer-map").bounding_box()
    # A corner (no marker); the locator scrolls the map into view first.
    page.locator("#offer-map").click(position={"x": 30, "y": box["height"] - 30})
    link = page.get_by_role("link", name="Um diesen Punkt suchen")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"lat="))
    assert re.search(r"lat=[0-9.]+&lon=[0-9.]+", page.url)
    assert "/angebote/karte/" in page.url
    assert console == []


# The list follows the map; the server's grid clusters.


@pytest.mark.django_db(transaction=True)
def test_the_list_can_be_limited_to_the_map_section(page, console, offers):
    _open_map_from_the_list(page)
    _wait_for_places(page, MATCHES)
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)):
        page.get_by_role("button", name="4 Orte: hineinzoomen").click()
    _wait_for_places(page, len(KONZ))
    button = page.get_by_role("button", name="Liste auf diesen Kartenausschnitt beschränken")
    with page.expect_response(lambda r: _is_geojson(r, bbox=True)) as first:
        button.click()
    page.wait_for_url(re.compile(r"bbox="))
    listed_box = parse_qs(urlparse(page.url).query)["bbox"][0]
    assert _bbox(first.value) == [float(v) for v in listed_box.split(",")]
    total = first.value.json()["total"]
    assert total == len(KONZ)
    expect(page.locator(".search-summary")).to_contain_text(f"{total} Angebote gefunden")
    assert set(_listed_names(page)) == {f"Beratungsstelle Konz {n}" for n in range(len(KONZ))}
    expect(page.locator("#map-status")).to_have_text(SHOWN.format(n=total))
    # A way back to the whole list.
    page.get_by_role("link", name="Alle Angebote dieser Suche zeigen").click()
    expect(page.locator(".search-summary")).to_contain_text(f"{MATCHES} Angebote gefunden")
    assert console == []


@pytest.mark.django_db(transaction=True)
def test_server_grid_clusters_count_every_place(page, console, offers, monkeypatch):
    from quartier.search import selectors

    monkeypatch.setattr(selectors, "MAX_FEATURES", 3)
    page.goto("/angebote/?q=Beratung")
    with page.expect_response(lambda r: _is_geojson(r, bbox=False)) as first:
        page.get_by_role("link", name="Auf der Karte zeigen").click()
    collection = first.value.json()
    assert collection["clustered"] is True
    assert collection["places"] == MATCHES
    assert all(feature["properties"]["cluster"] for feature in collection["features"])
    assert sum(feature["properties"]["count"] for feature in collection["features"]) == MATCHES
    _wait_for_places(page, MATCHES)
    shown = page.locator(".leaflet-marker-pane .marker-cluster span[aria-hidden]")
    assert sum(int(n) for n in shown.all_inner_texts()) == MATCHES
    expect(page.locator("#map-status")).to_contain_text("Vergrößern Sie die Karte")
    assert console == []
