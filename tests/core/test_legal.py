"""The legal pages (core/legal.py): reachable from every page's footer, filled from the
settings and the processing register, with the admins' own text per language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from quartier.core.models import LegalPage
from quartier.core.privacy import register

pytestmark = pytest.mark.django_db

OPERATOR = {
    "name": "Stadtverwaltung Beispielstadt",
    "address": "Rathausplatz 1\n12345 Beispielstadt",
    "representative": "Oberbürgermeisterin Erika Muster",
    "email": "info@beispielstadt.example",
    "phone": "0123 4567",
    "content_responsible": "Max Muster, Rathausplatz 1",
}
ACCESSIBILITY = {
    "status": "partial",
    "prepared_on": "2026-12-01",
    "feedback_email": "barrierefrei@beispielstadt.example",
    "enforcement_body": "Durchsetzungsstelle Beispielland",
    "enforcement_url": "https://durchsetzung.example/",
}


@pytest.fixture
def configured(settings):
    settings.QUARTIER_OPERATOR = OPERATOR
    settings.QUARTIER_ACCESSIBILITY = ACCESSIBILITY
    settings.QUARTIER_PRIVACY_CONTACTS = {
        "officer": "Datenschutzbeauftragte, Rathausplatz 1",
        "authority": "Landesbeauftragter für den Datenschutz Beispielland",
    }


def test_every_page_links_the_legal_pages_in_its_footer(client):
    html = client.get(reverse("core:imprint")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for name in (
        "core:imprint",
        "core:privacy_policy",
        "core:accessibility",
        "core:contact",
        "core:easy_language",
    ):
        assert f'href="{reverse(name)}"' in footer
    # Another public page carries the same footer (base.html).
    other = client.get(reverse("core:accessibility")).content.decode()
    assert f'href="{reverse("core:imprint")}"' in other[other.index("<footer") :]


def test_imprint_names_the_operator_from_the_settings(client, configured):
    response = client.get(reverse("core:imprint"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stadtverwaltung Beispielstadt" in html
    assert "Rathausplatz 1<br>" in html
    assert 'href="mailto:info@beispielstadt.example"' in html
    assert "Oberbürgermeisterin Erika Muster" in html
    assert html.count("<h1") == 1


def test_privacy_policy_lists_every_register_entry(client, configured):
    html = client.get(reverse("core:privacy_policy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en"):
        entries = register()
    assert entries
    for entry in entries:
        assert f"<h3>{entry['name']}</h3>".replace("'", "&#x27;") in html
    assert "Datenschutzbeauftragte, Rathausplatz 1" in html
    assert reverse("accounts:privacy_request") in html


def test_privacy_policy_names_the_tile_server_when_maps_need_consent(client, settings):
    settings.QUARTIER_MAP_TILES = {
        "url": "https://tiles.example/{z}/{x}/{y}.png",
        "attribution": "",
        "max_zoom": 19,
        "consent": True,
        "host": "tiles.example",
    }

    def main() -> str:
        html = client.get(reverse("core:privacy_policy")).content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert "tiles.example" in main()
    settings.QUARTIER_MAP_TILES = {**settings.QUARTIER_MAP_TILES, "consent": False, "url": ""}
    assert "tiles.example" not in main()


def test_accessibility_statement_has_feedback_and_enforcement(client, configured):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert 'href="mailto:barrierefrei@beispielstadt.example"' in html
    assert "Durchsetzungsstelle Beispielland" in html
    assert 'href="https://durchsetzung.example/"' in html
    assert "2026-12-01" in html


def test_feedback_falls_back_to_the_operator_address(client, settings):
    settings.QUARTIER_OPERATOR = {"email": "info@beispielstadt.example"}
    settings.QUARTIER_ACCESSIBILITY = {}
    html = client.get(reverse("core:accessibility")).content.decode()
    assert 'href="mailto:info@beispielstadt.example"' in html


def test_own_text_per_language_with_german_as_fallback(client):
    LegalPage.objects.create(kind="accessibility", language="de", text="Videos ohne Untertitel.")
    LegalPage.objects.create(kind="accessibility", language="en", text="Videos lack captions.")
    LegalPage.objects.create(kind="imprint", language="de", text="Nur deutsch.\n\nZweiter Absatz.")
    url = reverse("core:accessibility")
    assert "Videos ohne Untertitel." in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Videos lack captions." in english
    assert "No barriers are known" not in english
    imprint = client.get(reverse("core:imprint"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<p>Nur deutsch.</p>" in imprint and "<p>Zweiter Absatz.</p>" in imprint


def test_own_text_is_escaped(client):
    LegalPage.objects.create(kind="imprint", language="de", text="<script>alert(1)</script>")
    html = client.get(reverse("core:imprint"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_missing_settings_are_named_to_admins_only(client, admin_client, settings):
    settings.QUARTIER_OPERATOR = {}
    url = reverse("core:imprint")
    assert "admin/core/legalpage" not in client.get(url).content.decode()
    html = admin_client.get(url).content.decode()
    assert "admin/core/legalpage" in html
    assert "name, address, email" in html


def test_the_pages_refuse_writes(client):
    assert client.post(reverse("core:imprint")).status_code == 405


def test_one_text_per_page_and_language():
    from django.db import IntegrityError, transaction

    LegalPage.objects.create(kind="privacy", language="de", text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalPage.objects.create(kind="privacy", language="de", text="b")


def test_contact_page_names_the_operator_and_where_to_turn(client, configured):
    response = client.get(reverse("core:contact"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "Stadtverwaltung Beispielstadt" in main
    assert 'href="mailto:info@beispielstadt.example"' in main
    # Concerns, offers and the accessibility feedback are each one link away.
    assert f'href="{reverse("concerns:report")}"' in main
    assert f'href="{reverse("search:search")}"' in main
    assert 'href="mailto:barrierefrei@beispielstadt.example"' in main
    assert main.count("<h1") == 1


def test_contact_page_works_unconfigured_and_tells_admins(client, admin_client, settings):
    settings.QUARTIER_OPERATOR = {}
    settings.QUARTIER_ACCESSIBILITY = {}
    assert client.get(reverse("core:contact")).status_code == 200
    assert "admin/core/legalpage" in admin_client.get(reverse("core:contact")).content.decode()


def test_easy_language_page_is_in_easy_german_with_own_text(client):
    LegalPage.objects.create(kind="easy_language", language="de", text="Das Büro hat Mo offen.")
    html = client.get(reverse("core:easy_language"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1>Leichte Sprache</h1>" in html
    assert "Das Büro hat Mo offen." in html
    english = client.get(reverse("core:easy_language"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Easy Read</h1>" in english


def test_easy_language_page_lists_public_offers_with_an_easy_text(client):
    from quartier.offers.models import OfferStatus, ReviewState
    from tests.factories.offers import OfferFactory

    easy = OfferFactory(name="Schuldnerberatung", easy_language_description="Hilfe bei Schulden.")
    OfferFactory(name="Ohne leichten Text")
    OfferFactory(
        name="Entwurf",
        easy_language_description="Noch nicht frei.",
        review_state=ReviewState.DRAFT,
    )
    OfferFactory(name="Beendet", easy_language_description="Vorbei.", status=OfferStatus.ENDED)
    html = client.get(reverse("core:easy_language")).content.decode()
    assert f'href="{reverse("offers:easy", args=[easy.pk])}"' in html
    for name in ("Ohne leichten Text", "Entwurf", "Beendet"):
        assert name not in html


def test_easy_language_page_hides_the_offers_block_when_there_are_none(client):
    html = client.get(reverse("core:easy_language"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Offers with a text in easy language" not in html


def test_imprint_credits_the_postcode_table_in_use(client, settings, tmp_path):
    html = client.get(reverse("core:imprint"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "GeoNames" in html and "CC BY 4.0" in html
    # A table imported by the deployment brings its own credit instead.
    from quartier.core import geocoding

    settings.VAR_DIR = tmp_path
    geocoding.write_table(
        geocoding.imported_table(), {"54290": (49.75, 6.64)}, header=["Quelle: Landesamt X"]
    )
    html = client.get(reverse("core:imprint"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Quelle: Landesamt X" in html and "GeoNames" not in html
