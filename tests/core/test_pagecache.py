"""The page cache for anonymous visitors (quartier/core/pagecache.py)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import reverse

from quartier.core import pagecache
from quartier.core.models import PageGeneration
from tests.factories.accounts import UserFactory
from tests.factories.areas import AreaFactory
from tests.factories.offers import OfferFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r"[A-Za-z0-9]{64}")

# Real commits: the generation rises after a commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.QUARTIER_PAGE_CACHE_SECONDS = 60
    PageGeneration.objects.get_or_create(pk=1)  # a flush of the last test removed it
    pagecache.forget_generation()
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def offer():
    return OfferFactory(name="Erziehungsberatung Nord", description="Hilfe für Eltern.")


def url(offer) -> str:
    return reverse("offers:detail", kwargs={"pk": offer.pk})


def test_the_second_anonymous_visit_is_served_from_the_cache(
    offer, client, django_assert_num_queries, monkeypatch
):
    # The clock stands still, so a slow machine cannot let the generation age between visits.
    clock = pagecache.time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock)
    first = client.get(url(offer))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):  # the generation was read a moment ago
        second = Client().get(url(offer))
    assert second["X-Page-Cache"] == "hit"
    assert "Erziehungsberatung Nord" in second.content.decode()
    assert ANY_TOKEN.sub("", first.content.decode()) == ANY_TOKEN.sub("", second.content.decode())
    assert "Cookie" in second["Vary"]
    assert "private" in first["Cache-Control"] and "private" in second["Cache-Control"]


def test_other_processes_see_an_edit_within_a_second(offer, client, monkeypatch):
    client.get(url(offer))
    PageGeneration.objects.filter(pk=1).update(value=100)  # another process's edit
    assert client.get(url(offer))["X-Page-Cache"] == "hit"  # this process read it just now
    clock = pagecache.time.monotonic() + pagecache.GENERATION_SECONDS
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock)
    assert client.get(url(offer))["X-Page-Cache"] == "miss"


def test_a_query_string_bypasses_the_cache(offer, client):
    client.get(url(offer) + "?x=1")
    assert "X-Page-Cache" not in client.get(url(offer) + "?x=1")


def test_writes_outside_the_pages_apps_keep_the_cache(offer, client):
    client.get(url(offer))
    UserFactory(username="neu")
    assert client.get(url(offer))["X-Page-Cache"] == "hit"


def test_a_missing_table_turns_the_cache_off(offer, client, monkeypatch):
    monkeypatch.setattr(pagecache, "TABLE", "core_not_migrated_yet")
    assert pagecache.generation() is None
    pagecache.bump()  # during `migrate`: nothing to raise, no error
    response = client.get(url(offer))
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_an_area_page_is_cached_too(client):
    area = AreaFactory(name="Trier-West", slug="trier-west")
    page = reverse("areas:detail", kwargs={"slug": area.slug})
    assert client.get(page)["X-Page-Cache"] == "miss"
    assert client.get(page)["X-Page-Cache"] == "hit"


def test_an_edit_shows_at_once(offer, client):
    client.get(url(offer))
    offer.name = "Familienberatung Nord"
    offer.save()
    response = client.get(url(offer))
    assert response["X-Page-Cache"] == "miss"
    assert "Familienberatung Nord" in response.content.decode()


def test_an_unpublished_offer_is_gone_at_once(offer, client):
    client.get(url(offer))
    offer.review_state = "draft"
    offer.save()
    assert client.get(url(offer)).status_code == 404


def test_a_change_of_a_related_row_shows_at_once(offer, client):
    client.get(url(offer))
    offer.organisation.name = "Caritasverband Trier"
    offer.organisation.save()
    assert "Caritasverband Trier" in client.get(url(offer)).content.decode()


def test_logged_in_users_never_get_or_fill_the_cache(offer, world):
    staff = world.client("editor")
    response = staff.get(url(offer))
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert staff.get(url(offer)).get("X-Page-Cache") is None
    assert Client().get(url(offer))["X-Page-Cache"] == "miss"


def test_languages_are_kept_apart(offer):
    german = Client().get(url(offer), HTTP_ACCEPT_LANGUAGE="de")
    english = Client().get(url(offer), HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert Client().get(url(offer), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_each_visitor_gets_a_working_token_of_their_own(offer):
    tokens = []
    for _visitor in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url(offer))
        [token] = set(TOKEN.findall(page.content.decode()))
        assert pagecache.placeholder() not in page.content.decode()
        switched = visitor.post(
            reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_other_cookies_bypass_the_cache(offer, client):
    client.get(url(offer))
    client.cookies["some_other_cookie"] = "1"
    assert "X-Page-Cache" not in client.get(url(offer))


def test_missing_pages_are_not_kept(offer, client):
    offer_url = url(offer).replace(str(offer.pk), "00000000-0000-0000-0000-000000000000")
    for _visit in range(2):
        response = client.get(offer_url)
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


def test_the_cache_is_off_at_zero(settings, offer, client):
    settings.QUARTIER_PAGE_CACHE_SECONDS = 0
    client.get(url(offer))
    assert "X-Page-Cache" not in client.get(url(offer))


def test_a_transaction_raises_the_generation_once_after_commit(offer):
    before = pagecache.generation()
    with transaction.atomic():
        offer.name = "Eins"
        offer.save()
        offer.organisation.save()
        assert pagecache.generation() == before
    assert pagecache.generation() == before + 1


def test_a_rolled_back_change_does_not_raise_it(offer):
    before = pagecache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        offer.save()
        raise RuntimeError
    assert pagecache.generation() == before


def test_the_apps_register_the_models_their_pages_show():
    from django.apps import apps

    from quartier.core.registry import registry

    assert apps.get_model("offers", "Offer") in registry.page_models
    assert apps.get_model("areas", "Area") in registry.page_models
    # Rows no public page shows are not registered: their writes keep the cache.
    assert apps.get_model("accounts", "User") not in registry.page_models


def test_a_registered_models_save_retires_the_pages():
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from quartier.core.registry import Registry

    user_model = apps.get_model("accounts", "User")
    before = pagecache.generation()
    UserFactory()
    assert pagecache.generation() == before  # not registered: no retirement
    Registry().add_page_models(user_model)
    try:
        user = UserFactory()
        assert pagecache.generation() == before + 1
        user.delete()
        assert pagecache.generation() == before + 2
    finally:
        uid = f"pagecache-{user_model._meta.label}"
        post_save.disconnect(sender=user_model, dispatch_uid=uid)
        post_delete.disconnect(sender=user_model, dispatch_uid=uid)
        for field in user_model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.disconnect(sender=through, dispatch_uid=f"{uid}-{field.name}")
