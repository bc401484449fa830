"""The main journeys in a real browser: keyboard-only back-office work and axe-core checks."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from quartier.directory.models import Organisation
from tests.world import PASSWORD

pytestmark = [pytest.mark.e2e]

BLOCKING = {"serious", "critical"}


def _press_tab_until(page, selector: str, limit: int = 80) -> None:
    """Tab through the page until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the keyboard focus")


def _log_in_with_keyboard(page, username: str) -> None:
    page.goto("/konto/anmelden/")
    _press_tab_until(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/")


@pytest.mark.django_db(transaction=True)
def test_editor_edits_organisation_with_keyboard_only(page, transactional_db):
    from tests.world import build_world

    world = build_world()
    _log_in_with_keyboard(page, "editor")
    # From the dashboard to the organisation: follow the link by keyboard.
    _press_tab_until(page, f'a[href$="/organisationen/{world.organisation.slug}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisationen/{world.organisation.slug}/")
    _press_tab_until(page, "#id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("0651 555 2024")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_selector(".message-success")
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    assert organisation.phone == "0651 555 2024"
    assert organisation.history.latest().history_user.username == "editor"


@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violations(page, transactional_db):
    from tests.world import build_world

    world = build_world()
    axe = Axe()
    pages = [
        "/",
        f"/gebiete/{world.district.slug}/",
        f"/organisationen/{world.organisation.slug}/",
        "/konto/anmelden/",
    ]
    problems = []
    for url in pages:
        page.goto(url)
        problems += _blocking(axe, page, url)
    _log_in_with_keyboard(page, "admin")
    problems += _blocking(axe, page, "/verwaltung/")
    page.goto(f"/verwaltung/directory/organisationen/{world.organisation.slug}/")
    problems += _blocking(axe, page, "organisation form")
    assert not problems, "\n".join(problems)


def _blocking(axe: Axe, page, label: str) -> list[str]:
    results = axe.run(page)
    return [
        f"{label}: {violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING
    ]
