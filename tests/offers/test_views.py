import json
import re

import pytest
from django.urls import reverse

from quartier.offers.models import Offer, ReviewState

pytestmark = pytest.mark.django_db


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _post_data(**overrides):
    data = {
        "name": "Krabbelgruppe Nord",
        "description": "Für die Kleinsten.",
        "status": "active",
        "cost": "free",
        **_management("locations", 1),
        "locations-0-name": "Gemeindehaus",
        "locations-0-street": "Kirchweg 2",
        "locations-0-postcode": "54292",
        "locations-0-city": "Trier",
        "locations-0-lat": "49.77",
        "locations-0-lon": "6.66",
        **_management("schedules", 1),
        "schedules-0-kind": "weekly",
        "schedules-0-weekday": "2",
        "schedules-0-opens_at": "09:30",
        "schedules-0-closes_at": "11:00",
    }
    data.update(overrides)
    return data


def test_detail_shows_public_content_and_json_ld(world, django_assert_max_num_queries):
    client = world.client("anonymous")
    with django_assert_max_num_queries(14):
        response = client.get(world.offer.get_absolute_url())
    html = response.content.decode()
    assert "Familiencafé Nord" in html
    assert world.organisation.get_absolute_url() in html
    assert reverse("api:offer_detail", kwargs={"offer_id": world.offer.pk}) in html
    assert 'rel="alternate" type="application/json"' in html
    # Contact person: public e-mail shown, internal phone never.
    assert world.person.email in html
    assert world.person.phone not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Service"
    assert data["provider"]["name"] == world.organisation.name
    assert data["areaServed"][0]["name"] == "Nordviertel"
    assert data["hoursAvailable"][0]["dayOfWeek"] == "https://schema.org/Monday"
    assert data["hoursAvailable"][0]["opens"] == "09:00"


def test_json_ld_cannot_break_out_of_its_script(world):
    Offer.objects.filter(pk=world.offer.pk).update(name="</script><script>alert(1)</script>")
    html = world.client("anonymous").get(world.offer.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_drafts_are_not_public(world):
    for name in ("offers:detail", "offers:print"):
        response = world.client("anonymous").get(reverse(name, kwargs={"pk": world.draft_offer.pk}))
        assert response.status_code == 404
    response = world.client("anonymous").get(
        reverse("api:offer_detail", kwargs={"offer_id": world.draft_offer.pk})
    )
    assert response.status_code == 404
    assert "message" in response.json()


def test_the_easy_language_version_has_an_address_of_its_own(world, django_assert_max_num_queries):
    Offer.objects.filter(pk=world.offer.pk).update(
        easy_language_description="Hier gibt es Kaffee. Kommen Sie vorbei."
    )
    client = world.client("anonymous")
    standard = client.get(world.offer.get_absolute_url()).content.decode()
    easy_url = reverse("offers:easy", kwargs={"pk": world.offer.pk})
    assert easy_url in standard and "Hier gibt es Kaffee" not in standard
    with django_assert_max_num_queries(14):
        page = client.get(easy_url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Hier gibt es Kaffee" in content and 'lang="de"' in content
    assert "Was gibt es hier?" in content and "Wie bekomme ich das?" in content
    assert world.offer.get_absolute_url() in content  # back to the standard text
    assert "Set-Cookie" not in page.headers  # a link, not a switch kept for the visitor


def test_without_an_easy_text_the_page_says_so_plainly(world):
    Offer.objects.filter(pk=world.offer.pk).update(easy_language_description="")
    page = world.client("anonymous").get(reverse("offers:easy", kwargs={"pk": world.offer.pk}))
    content = page.content.decode()
    assert page.status_code == 200
    assert "noch keinen Text in Leichter Sprache" in content
    assert world.offer.get_absolute_url() in content


def test_the_easy_page_of_a_draft_is_not_public(world):
    url = reverse("offers:easy", kwargs={"pk": world.draft_offer.pk})
    assert world.client("anonymous").get(url).status_code == 404


def test_print_view(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = world.client("anonymous").get(
            reverse("offers:print", kwargs={"pk": world.offer.pk})
        )
    assert "offers/print.css" in response.content.decode()


def test_api_detail_has_only_public_contact_fields(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = world.client("anonymous").get(
            reverse("api:offer_detail", kwargs={"offer_id": world.offer.pk})
        )
    data = response.json()
    assert data["name"] == "Familiencafé Nord"
    assert data["schedules"][0]["opens_at"] == "09:00"
    assert data["contacts"] == [
        {"name": "Erika Beispiel", "role": "Leitung", "email": world.person.email}
    ]


def test_backoffice_list_query_budget(world, django_assert_max_num_queries):
    from tests.factories.offers import OfferFactory

    for number in range(15):
        OfferFactory(organisation=world.organisation, name=f"Angebot {number}")
    client = world.client("editor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:offers:list"))
    assert response.status_code == 200
    assert "Angebot 14" in response.content.decode()
    other = world.other_offer.name
    assert other not in response.content.decode()


def test_edit_page_query_budget(world, vocabularies, django_assert_max_num_queries):
    client = world.client("editor")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk}))
    assert response.status_code == 200
    assert "Nordstraße 5" in response.content.decode()


def test_create_through_the_form(world, vocabularies):
    client = world.client("editor")
    url = reverse("backoffice:offers:create") + f"?organisation={world.organisation.pk}"
    response = client.post(url, _post_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get(name="Krabbelgruppe Nord")
    assert offer.review_state == ReviewState.DRAFT
    assert offer.locations.get().street == "Kirchweg 2"
    assert offer.schedules.get().weekday == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"schedules-0-opens_at": "12:00", "schedules-0-closes_at": "12:00"},
            "Schließzeit und Öffnungszeit sind gleich.",
        ),
        ({"schedules-0-weekday": ""}, "Regelmäßige Öffnungszeiten brauchen einen Wochentag."),
        (
            {"min_age": "12", "max_age": "3"},
            "Das Höchstalter darf nicht unter dem Mindestalter liegen.",
        ),
        ({"locations-0-lat": "123"}, "kleiner oder gleich 90"),
        ({"locations-0-lon": ""}, "Geben Sie Breiten- und Längengrad an oder keinen von beiden."),
        ({"locations-0-postcode": "5429"}, "Eine deutsche Postleitzahl hat fünf Ziffern."),
        ({"schedules-0-opens_at": "25:99"}, "gültige Uhrzeit"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(world, vocabularies, overrides, message):
    client = world.client("editor")
    url = reverse("backoffice:offers:create") + f"?organisation={world.organisation.pk}"
    response = client.post(url, _post_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Offer.objects.filter(name="Krabbelgruppe Nord").exists()


def test_editors_edit_of_a_published_offer_waits_for_review(world, vocabularies):
    client = world.client("editor")
    url = reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk})
    response = client.post(url, _post_data(name="Familiencafé Nord (geändert)"), follow=True)
    assert "nach der Prüfung veröffentlicht" in response.content.decode()
    world.offer.refresh_from_db()
    assert world.offer.name == "Familiencafé Nord"
    review = world.client("coordinator").get(
        reverse("backoffice:offers:review", kwargs={"pk": world.offer.pk})
    )
    html = review.content.decode()
    # A word diff: the unchanged name once on each side, the addition marked as inserted.
    assert "(geändert)" in html.split("<ins>", 1)[1].split("</ins>", 1)[0]
    world.client("coordinator").post(
        reverse("backoffice:offers:approve", kwargs={"pk": world.offer.pk})
    )
    world.offer.refresh_from_db()
    assert world.offer.name == "Familiencafé Nord (geändert)"


def test_review_shows_where_a_long_description_changed(world, vocabularies):
    world.offer.description = " ".join(f"Satz {n}." for n in range(60)) + " Montags offen."
    world.offer.save()
    client = world.client("editor")
    url = reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk})
    changed = world.offer.description.replace("Montags offen.", "Dienstags offen.")
    client.post(url, _post_data(name=world.offer.name, description=changed))
    review = world.client("coordinator").get(
        reverse("backoffice:offers:review", kwargs={"pk": world.offer.pk})
    )
    html = review.content.decode()
    assert "Montags" in html.split("<del>", 1)[1].split("</del>", 1)[0]
    assert "Dienstags" in html.split("<ins>", 1)[1].split("</ins>", 1)[0]
    assert "…" in html  # the unchanged beginning is left out
    assert "Satz 3." not in html


def test_editor_cannot_reach_another_organisations_offer(world):
    client = world.client("editor")
    for name in ("backoffice:offers:edit", "backoffice:offers:history"):
        response = client.get(reverse(name, kwargs={"pk": world.other_offer.pk}))
        assert response.status_code == 403
    url = reverse("backoffice:offers:create") + f"?organisation={world.other_organisation.pk}"
    assert client.post(url, _post_data()).status_code == 200  # the chooser, with an error
    assert not Offer.objects.filter(name="Krabbelgruppe Nord").exists()


def test_history_shows_versions_and_changes(world, django_assert_max_num_queries):
    from quartier.offers import services

    services.offer_verify(offer=world.offer, by=world.users["editor"])
    client = world.client("editor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:offers:history", kwargs={"pk": world.offer.pk}))
    html = response.content.decode()
    assert "als aktuell bestätigt" in html
    assert "Zuletzt geprüft" in html


def test_dashboard_lists_offers_awaiting_review(world):
    response = world.client("coordinator").get(reverse("backoffice:dashboard"))
    html = response.content.decode()
    assert "Angebote zur Prüfung" in html
    assert "Elterntreff Nord" in html


def test_area_page_lists_offers_with_export_links(world):
    response = world.client("anonymous").get(world.district.get_absolute_url())
    html = response.content.decode()
    assert "Familiencafé Nord" in html
    assert reverse("offers:area_pdf", kwargs={"slug": world.district.slug}) in html
