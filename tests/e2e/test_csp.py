"""The Content Security Policy in a real browser: the public pages that run scripts (start,
search with htmx, offer, map with Leaflet and its clusters, event with its map, meeting) load
and work without one violation.

Chromium reports each blocked inline script, style, handler or eval as a
`securitypolicyviolation` event and a console error; both are collected from before the first
byte of each page (an init script, which the policy does not govern). Map tiles get a blank
image, so no network is needed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories.events import EventFactory
from tests.factories.networks import MeetingFactory
from tests.factories.offers import LocationFactory, OfferFactory

pytestmark = [pytest.mark.e2e]

BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations and console errors collected; blank map tiles."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    # The search answers bad input with 400 on purpose; Chromium logs every 4xx as an error.
    expected = "the server responded with a status of 400"
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"),
    )

    def violations() -> list[str]:
        logged = [text for text in problems if expected not in text]
        return [*page.evaluate("window.__cspViolations"), *logged]

    page.violations = violations
    return page


@pytest.fixture
def content(transactional_db):
    offers = [
        OfferFactory(
            name=f"Beratungsstelle Trier {n}",
            description="Beratung und Begleitung für Familien.",
            locations=[LocationFactory(lat=49.756 + n * 0.001, lon=6.64 + n * 0.001)],
        )
        for n in range(3)
    ]
    event = EventFactory(title="Stadtteilfest Trier-West", lat=49.7569, lon=6.6285)
    meeting = MeetingFactory(title="Netzwerktreffen Trier-West")
    return {"offer": offers[0], "event": event, "meeting": meeting}


def _assert_clean(page, what: str) -> None:
    page.wait_for_load_state("load")
    assert page.violations() == [], what


@pytest.mark.django_db(transaction=True)
def test_the_policy_is_enforced_in_the_browser(watched):
    """The check can fail: an inline style added to the page is refused and reported."""
    response = watched.goto("/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "content-security-policy-report-only" not in response.headers
    watched.evaluate(
        """() => {
            const probe = document.createElement("div");
            probe.innerHTML = '<p id="probe" style="color: rgb(255, 0, 0)">x</p>';
            document.body.append(probe);
        }"""
    )
    watched.wait_for_function("window.__cspViolations.length > 0")
    assert "style-src" in watched.evaluate("window.__cspViolations[0]")
    color = watched.locator("#probe").evaluate("p => getComputedStyle(p).color")
    assert color != "rgb(255, 0, 0)"


@pytest.mark.django_db(transaction=True)
def test_public_pages_work_without_a_violation(watched, content):
    page = watched
    page.goto("/")
    _assert_clean(page, "start page")

    page.goto("/angebote/?q=Beratung")
    expect(page.locator(".search-summary")).to_contain_text("3 Angebote gefunden")
    _assert_clean(page, "search page")
    # htmx: a new search swaps the results in place ...
    search = page.get_by_role("searchbox", name="Suchen nach")
    search.fill("Familien")
    with page.expect_response(lambda r: "q=Familien" in r.url):
        search.press("Enter")
    page.wait_for_url("**/angebote/?q=Familien*")
    expect(page.locator(".search-summary")).to_contain_text("3 Angebote gefunden")
    # ... and a 400 answer too, with its error summary (data-swap-status, js/site.js).
    with page.expect_response(lambda r: r.status == 400):
        page.evaluate(
            """() => {
                const form = document.querySelector(".search-form");
                form.querySelector("[name=lat]").value = "49.7";  // without a longitude
                form.requestSubmit();
            }"""
        )
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    _assert_clean(page, "search with htmx")

    page.goto(content["offer"].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beratungsstelle Trier 0")
    _assert_clean(page, "offer page")

    page.goto("/angebote/karte/?q=Beratung")
    expect(page.locator("#map-status")).to_have_text("3 Angebote in diesem Kartenausschnitt.")
    expect(page.locator("#offer-map .leaflet-marker-icon").first).to_be_visible()
    assert page.locator("#offer-map").evaluate("m => m.getBoundingClientRect().height") > 400
    _assert_clean(page, "map page")

    page.goto(content["event"].get_absolute_url())
    expect(page.locator(".leaflet-container")).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    _assert_clean(page, "event page")

    page.goto(content["meeting"].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Netzwerktreffen Trier-West")
    _assert_clean(page, "meeting page")
