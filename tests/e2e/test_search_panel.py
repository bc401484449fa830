"""The search page's filters in a real browser at 375 and 1280 CSS px: a panel that opens by
keyboard on a narrow screen and stays open while filters are ticked (htmx), a column beside the
results on a wide one, removable chips and the count, no sideways scrolling, no serious axe
finding."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_journeys import _blocking
from tests.factories.offers import LocationFactory, OfferFactory, TaxonomyTermFactory

pytestmark = [pytest.mark.e2e]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def offers(transactional_db):
    beratung = TaxonomyTermFactory(code="beratung", name="Beratung")
    freizeit = TaxonomyTermFactory(code="freizeit", name="Freizeit")
    for n in range(3):
        OfferFactory(
            name=f"Schuldnerberatungsstellenverbundsprechstunde {n}",
            description="Beratung bei Schulden.",
            topics=[beratung],
            locations=[LocationFactory(lat=49.75 + n / 1000, lon=6.64)],
        )
    OfferFactory(
        name="Spielenachmittag",
        description="Beratung beim Spielen.",
        topics=[freizeit],
        locations=[LocationFactory(lat=49.76, lon=6.65)],
    )
    return {"beratung": beratung, "freizeit": freizeit}


@pytest.mark.django_db(transaction=True)
def test_narrow_screen_panel_opens_by_keyboard_and_chips_remove_filters(page, offers):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/angebote/?q=Beratung")
    count = page.locator("#search-count")
    expect(count).to_have_text("4 Angebote gefunden")
    assert page.evaluate(OVERFLOW) <= 0
    summary = page.locator("#search-filters > summary")
    expect(summary).to_have_text("Filter")
    checkbox = page.get_by_label("Beratung (3)")
    expect(checkbox).to_be_hidden()

    summary.focus()
    page.keyboard.press("Enter")
    expect(checkbox).to_be_visible()
    checkbox.check()  # htmx asks for the partial on change
    expect(count).to_have_text("3 Angebote gefunden")
    expect(page.locator("#search-filters > summary")).to_have_text("Filter (1 aktiv)")
    expect(page.locator("#search-filters")).to_have_attribute("open", "")
    assert page.evaluate(OVERFLOW) <= 0
    problems = _blocking(Axe(), page, "search at 375 px")
    assert not problems, "\n".join(problems)

    chip = page.get_by_role("link", name="Filter entfernen: Thema Beratung")
    expect(chip).to_be_visible()
    chip.click()
    expect(count).to_have_text("4 Angebote gefunden")
    expect(page.locator(".chip")).to_have_count(0)
    assert "topic" not in page.url and "q=Beratung" in page.url


@pytest.mark.django_db(transaction=True)
def test_wide_screen_shows_the_filters_as_a_column_beside_the_results(page, offers):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/angebote/?q=Beratung")
    expect(page.locator("#search-count")).to_have_text("4 Angebote gefunden")
    assert page.evaluate(OVERFLOW) <= 0
    expect(page.locator("#search-filters > summary")).to_be_hidden()
    checkbox = page.get_by_label("Beratung (3)")
    expect(checkbox).to_be_visible()
    filters = page.locator("form.search-form").bounding_box()
    results = page.locator("#search-results").bounding_box()
    assert filters and results
    assert filters["x"] + filters["width"] <= results["x"]
    assert abs(filters["y"] - results["y"]) < 50  # side by side, not stacked

    checkbox.check()
    expect(page.locator("#search-count")).to_have_text("3 Angebote gefunden")
    page.locator("#id_free").check()
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.get_by_role("link", name="Alle Filter entfernen")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    problems = _blocking(Axe(), page, "search at 1280 px")
    assert not problems, "\n".join(problems)
