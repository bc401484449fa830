"""Passgenaue Hilfe: the family's situation comes by POST and is never kept; target groups'
age bands count."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.areas import AreaFactory
from tests.factories.offers import OfferFactory, TargetGroupFactory


@pytest.fixture
def family_offers(db):
    area = AreaFactory(slug="trier-west", name="Trier-West", centre_lat=49.7555, centre_lon=6.62)
    toddlers = TargetGroupFactory(slug="kleinkinder", name="Kleinkinder", min_age=0, max_age=3)
    teens = TargetGroupFactory(slug="jugendliche", name="Jugendliche", min_age=12, max_age=17)
    parents = TargetGroupFactory(slug="eltern", name="Eltern")  # no age band
    offers = {
        "krabbel": OfferFactory(name="Krabbelgruppe", areas=[area], target_groups=[toddlers]),
        "jugend": OfferFactory(name="Jugendtreff", areas=[area], target_groups=[teens]),
        "eltern": OfferFactory(name="Elterncafé", areas=[area], target_groups=[parents]),
        # The offer's own range decides over its group's band.
        "own": OfferFactory(
            name="Musikgarten", areas=[area], target_groups=[toddlers], min_age=4, max_age=6
        ),
    }
    return {"area": area, "offers": offers}


def _card(html: str, name: str) -> str:
    """The card of the offer called `name` (its title, organisation and reasons)."""
    cards = html.split('<li class="card">')[1:]
    return next(card for card in cards if f">{name}</a>" in card.split("</h3>")[0])


def test_get_shows_the_empty_form_and_ignores_a_situation_in_the_url(client, world, family_offers):
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("search:guided"), {"area": "trier-west", "ages": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Krabbelgruppe" not in html  # no search from URL parameters
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_post_ranks_by_the_age_band_of_the_target_group_with_a_reason(client, world, family_offers):
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("search:guided"), {"area": "trier-west", "ages": "1"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert html.index("Krabbelgruppe") < html.index("Elterncafé")
    assert html.index("Krabbelgruppe") < html.index("Jugendtreff")
    assert "Für Kleinkinder: passt zum Alter des Kindes (1 Jahre)" in _card(html, "Krabbelgruppe")
    # The Musikgarten's own range (4 to 6) wins over its group's band.
    assert html.index("Musikgarten") > html.index("Krabbelgruppe")
    assert "Alter des Kindes" not in _card(html, "Musikgarten")
    assert "Alter des Kindes" not in _card(html, "Elterncafé")


def test_age_reasons_in_english(client, world, family_offers):
    client.force_login(world.users["planner"])
    response = client.post(
        reverse("search:guided"), {"area": "trier-west", "ages": "1, 14"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "For Kleinkinder: suits the age of the child (1 years)" in html
    assert "For Jugendliche: suits the age of the child (14 years)" in html


def test_age_fit_reads_bands_and_own_ranges():
    from quartier.offers.models import Offer, TargetGroup
    from quartier.search.guided import _age_fit

    class Groups(list):
        def all(self):
            return self

    def offer(min_age=None, max_age=None, groups=()):
        instance = Offer(min_age=min_age, max_age=max_age)
        instance.__dict__["_prefetched_objects_cache"] = {"target_groups": Groups(groups)}
        return instance

    band = TargetGroup(name="Kleinkinder", min_age=0, max_age=3)
    open_end = TargetGroup(name="Erwachsene", min_age=18, max_age=None)
    no_band = TargetGroup(name="Eltern")
    assert _age_fit(offer(groups=[band]), [1, 5]) == ([1], ["Kleinkinder"])
    assert _age_fit(offer(groups=[open_end, no_band]), [1, 20]) == ([20], ["Erwachsene"])
    assert _age_fit(offer(groups=[no_band]), [1]) == ([], [])
    assert _age_fit(offer(4, 6, groups=[band]), [1, 5]) == ([5], [])
    assert _age_fit(offer(groups=[band]), []) == ([], [])


def test_bad_input_is_a_400_with_the_reason(client, world, family_offers):
    client.force_login(world.users["editor"])
    response = client.post(reverse("search:guided"), {"area": "trier-west", "ages": "1, x"})
    assert response.status_code == 400
    assert "Bitte das Alter in ganzen Jahren von 0 bis 27 angeben." in response.content.decode()
    response = client.post(reverse("search:guided"), {"area": "nirgendwo"})
    assert response.status_code == 400
    assert 'class="field field-invalid"' in response.content.decode()


@pytest.mark.parametrize("role", ["resident"])
def test_residents_may_not_post_a_situation(client, world, family_offers, role):
    client.force_login(world.users[role])
    response = client.post(reverse("search:guided"), {"area": "trier-west", "ages": "1"})
    assert response.status_code == 403
    assert "Krabbelgruppe" not in response.content.decode()


def test_anonymous_posts_go_to_the_login(client, family_offers):
    response = client.post(reverse("search:guided"), {"area": "trier-west", "ages": "1"})
    assert response.status_code == 302


def test_a_post_without_csrf_token_is_refused(world, family_offers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("search:guided"), {"area": "trier-west", "ages": "1"})
    assert response.status_code == 403


def test_other_methods_are_not_allowed(client, world):
    client.force_login(world.users["coordinator"])
    assert client.put(reverse("search:guided")).status_code == 405
