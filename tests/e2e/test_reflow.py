"""The header and the public pages at 1280 and 320 CSS px (WCAG 1.4.10 Reflow): the header
keeps the main navigation in one row at 1280 px, with every menu entry of a planner, and no
page scrolls sideways at either width."""

from __future__ import annotations

import pytest

from tests.e2e.test_journeys import _log_in_with_keyboard

pytestmark = [pytest.mark.e2e]

WIDTHS = (1280, 320)
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# The header's rows: how many lines the navigation and the brand/tools row take.
ROWS = """() => {
  // Lines of items: their vertical centres (items in a row are centred), apart by over 4 px.
  const lines = (items) => {
    const centres = [...items].map((e) => {
      const box = e.getBoundingClientRect();
      return (box.top + box.bottom) / 2;
    }).sort((a, b) => a - b);
    return centres.filter((c, i) => i === 0 || c - centres[i - 1] > 4).length;
  };
  return {
    nav: lines(document.querySelectorAll(".nav-list > li")),
    tools: lines(document.querySelectorAll(".header-row > *, .header-tools > *")),
  };
}"""


@pytest.fixture
def world(transactional_db):
    from tests.world import build_world

    return build_world()


def _public_pages(world) -> list[str]:
    return [
        "/",
        "/angebote/?q=Beratung",
        world.organisation.get_absolute_url(),
        "/organisationen/",
        "/netzwerke/",
        "/veranstaltungen/",
        "/projekte/",
        "/anliegen/",
        "/neuigkeiten/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
    ]


def _overflowing(page, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        extra = page.evaluate(OVERFLOW)
        if extra > 0:
            found.append(f"{path}: {extra}px too wide")
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_do_not_scroll_sideways(page, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = _overflowing(page, _public_pages(world))
    assert not problems, f"at {width} px:\n" + "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_the_header_fits_at_1280_px_with_every_entry(page, world):
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in_with_keyboard(page, "planner")
    page.goto("/")
    assert page.locator(".header-tools a[href='/verwaltung/']").count() == 1
    assert page.evaluate(ROWS) == {"nav": 1, "tools": 1}
    assert page.evaluate(OVERFLOW) <= 0
    # At 320 px the rows wrap, and still nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/")
    assert page.evaluate(ROWS)["nav"] > 1
    assert page.evaluate(OVERFLOW) <= 0


@pytest.mark.django_db(transaction=True)
def test_the_check_can_fail(page, world):
    """A page made too wide on purpose is reported."""
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'x'.repeat(400);"
        " p.style.whiteSpace = 'nowrap'; document.querySelector('main').append(p); }"
    )
    assert page.evaluate(OVERFLOW) > 0
