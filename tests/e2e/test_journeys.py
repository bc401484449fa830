"""The main journeys in a real browser: keyboard-only back-office work and axe-core checks."""

from __future__ import annotations

import base64

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def _code(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def _log_in_with_keyboard(page, username: str) -> None:
    """Password, then the code of the user's authenticator app (made here: staff need one)."""
    from quartier.accounts.models import User

    device = TOTPDevice.objects.create(
        user=User.objects.get(username=username), name="Authenticator-App", confirmed=True
    )
    page.goto("/konto/anmelden/")
    _press_tab_until(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/anmelden/code/**")
    _press_tab_until(page, "#id_code")
    page.keyboard.type(_code(device.bin_key))
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/")


@pytest.mark.django_db(transaction=True)
def test_staff_first_login_sets_up_the_authenticator_app(page, transactional_db):
    """An editor's first login: password, the QR code page (key also as text), a code from
    the app, the recovery codes shown once, then the back office."""
    from tests.world import build_world

    build_world()
    page.goto("/konto/anmelden/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/zwei-faktor/einrichten/**")
    assert page.locator("svg[role=img] title").count() == 1
    assert not _blocking(Axe(), page, "two-factor set-up")
    secret = page.locator("figcaption code").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    _press_tab_until(page, "#id_code")
    page.keyboard.type(_code(key))
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/zwei-faktor/codes/")
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Weiter").click()
    page.wait_for_url("**/verwaltung/")
    # Shown once: the codes page now offers new ones instead.
    page.goto("/konto/zwei-faktor/codes/")
    assert page.locator(".recovery-codes").count() == 0


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
        world.offer.get_absolute_url(),
        f"{world.offer.get_absolute_url()}leichte-sprache/",
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
