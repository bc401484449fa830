"""Vocabularies held as data speak the page's language (core/vocabulary.py): English names
under English, German under German, the German name where no English one is given; the
standard exports keep German; shipped terms get their English names by migration."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

import quartier
from quartier.areas.models import AreaKind
from quartier.concerns.models import Category as ConcernCategory
from quartier.core.vocabulary import localized
from quartier.events import ics as event_ics
from quartier.networks.models import BodyKind, Topic
from quartier.offers.models import TaxonomyTerm
from quartier.search.forms import SearchForm
from tests.factories.accounts import UserFactory
from tests.factories.areas import AreaKindFactory
from tests.factories.directory import OrganisationFactory
from tests.factories.events import CategoryFactory, EventFactory
from tests.factories.networks import BodyFactory, BodyKindFactory, MembershipFactory
from tests.factories.offers import (
    LanguageFactory,
    OfferFactory,
    TargetGroupFactory,
    TaxonomyTermFactory,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def test_localized_falls_back_to_german():
    with translation.override("en"):
        assert localized("Jugend", "Youth") == "Youth"
        assert localized("Jugend", "") == "Jugend"
        assert localized("Jugend", None) == "Jugend"
    with translation.override("de"):
        assert localized("Jugend", "Youth") == "Jugend"


def test_plural_falls_back_step_by_step():
    kind = AreaKind(name="Stadtteil", name_plural="Stadtteile", name_en="District")
    with translation.override("en"):
        assert str(kind) == "District"
        assert kind.localized_name_plural == "District"  # no English plural: English singular
        kind.name_plural_en = "Districts"
        assert kind.localized_name_plural == "Districts"
    with translation.override("de"):
        assert str(kind) == "Stadtteil"
        assert kind.localized_name_plural == "Stadtteile"


@pytest.fixture
def offer(db):
    return OfferFactory(
        topics=[
            TaxonomyTermFactory(name="Erziehungsberatung", name_en="Parenting advice"),
            TaxonomyTermFactory(name="Nur-Deutsch-Thema"),
        ],
        target_groups=[TargetGroupFactory(name="Alleinerziehende", name_en="Single parents")],
        languages=[LanguageFactory(code="tr", name="Türkisch", name_en="Turkish")],
    )


def test_offer_page_shows_the_terms_in_the_page_language(client, offer):
    english = client.get(offer.get_absolute_url(), **EN).content.decode()
    assert "Parenting advice" in english
    assert "Single parents" in english
    assert "Turkish" in english
    assert "Erziehungsberatung" not in english
    assert "Nur-Deutsch-Thema" in english  # no English name: the German one
    german = client.get(offer.get_absolute_url(), **DE).content.decode()
    assert "Erziehungsberatung" in german
    assert "Alleinerziehende" in german
    assert "Türkisch" in german
    assert "Parenting advice" not in german


def test_search_filters_and_json_labels_follow_the_language(offer):
    term = offer.topics.get(name="Erziehungsberatung")
    with translation.override("en"):
        choices = dict(SearchForm().fields["topic"].choices)
        assert choices[str(term.pk)] == "Parenting advice"
        groups = dict(SearchForm().fields["group"].choices)
        assert "Single parents" in groups.values()
    with translation.override("de"):
        assert dict(SearchForm().fields["topic"].choices)[str(term.pk)] == "Erziehungsberatung"
    # A new English name reaches the (cached) filter at once.
    TaxonomyTerm.objects.filter(pk=term.pk).update(name_en="")
    term.refresh_from_db()
    term.save()
    with translation.override("en"):
        assert dict(SearchForm().fields["topic"].choices)[str(term.pk)] == "Erziehungsberatung"


def test_body_list_counts_members_in_one_language(client, db):
    kind = BodyKindFactory(slug="arbeitskreis", name="Arbeitskreis", name_en="Working group")
    body = BodyFactory(kind=kind)
    for _ in range(4):
        MembershipFactory(body=body, organisation=OrganisationFactory())
    english = client.get(reverse("networks:list"), **EN).content.decode()
    assert "4 members" in english
    assert "Mitglied" not in english
    assert "Working group" in english
    german = client.get(reverse("networks:list"), **DE).content.decode()
    assert "4 Mitglieder" in german
    assert "Arbeitskreis" in german


def test_english_catalogues_carry_no_german_texts():
    """English is the source language: an English catalogue's msgstr stay empty (one filled
    with German once put "4 Mitglieder · next meeting" on English pages)."""
    root = Path(quartier.__file__).parent
    filled = []
    for path in root.glob("**/locale/en/LC_MESSAGES/django.po"):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if 'msgid ""\nmsgstr ""\n"Project-Id' in block:
                continue  # the header
            texts = re.findall(r'^msgstr(?:\[\d+\])? "(.+)"$', block, re.MULTILINE)
            if texts:
                filled.append(f"{path.relative_to(root)}: {texts}")
    assert not filled, "\n".join(filled)


def test_event_category_in_page_and_ical(client, db):
    category = CategoryFactory(slug="markt", name="Markt", name_en="Market")
    event = EventFactory(category=category)
    url = reverse("events:detail", kwargs={"slug": event.slug})
    assert "Market" in client.get(url, **EN).content.decode()
    assert "Markt" in client.get(url, **DE).content.decode()
    with translation.override("en"):
        assert event_ics.vevent(event, url_prefix="/").categories == "Market"
    with translation.override("de"):
        assert event_ics.vevent(event, url_prefix="/").categories == "Markt"


def test_networks_api_follows_the_language_and_oparl_keeps_german(client, db):
    kind = BodyKindFactory(slug="runder-tisch", name="Runder Tisch", name_en="Round table")
    body = BodyFactory(kind=kind)
    api = reverse("api:networks_body_list")
    assert client.get(api, **EN).json()["items"][0]["kind"] == "Round table"
    assert client.get(api, **DE).json()["items"][0]["kind"] == "Runder Tisch"
    from quartier.api.oparl.serializers import organization

    with translation.override("en"):
        body.refresh_from_db()
        assert organization(body)["classification"] == "Runder Tisch"


def test_area_kind_in_page(client, db):
    from tests.factories.areas import AreaFactory

    kind = AreaKindFactory(slug="stadtteil-x", name="Stadtteil", name_en="District")
    area = AreaFactory(kind=kind)
    assert "District" in client.get(area.get_absolute_url(), **EN).content.decode()
    api = reverse("api:area_detail", kwargs={"slug": area.slug})
    assert client.get(api, **EN).json()["kind_name"] == "District"
    assert client.get(api, **DE).json()["kind_name"] == "Stadtteil"


# Data migrations -------------------------------------------------------------------------


def test_migrations_fill_shipped_terms_and_leave_admins_edits(db):
    areas = importlib.import_module("quartier.areas.migrations.0004_vocabulary_english_names")
    networks = importlib.import_module("quartier.networks.migrations.0006_vocabulary_english_names")
    concerns = importlib.import_module("quartier.concerns.migrations.0002_vocabulary_english_names")
    AreaKind.objects.create(slug="stadtteil", name="Stadtteil", name_plural="Stadtteile")
    AreaKind.objects.create(slug="sozialraum", name="Planungsraum")  # renamed by an admin
    BodyKind.objects.create(slug="netzwerk", name="Netzwerk", name_en="Our network")
    Topic.objects.create(slug="jugend", name="Jugend")
    ConcernCategory.objects.create(slug="beleuchtung", name="Straßenbeleuchtung")
    for migration in (areas, networks, concerns):
        migration.fill_shipped(apps, None)
        migration.fill_shipped(apps, None)  # idempotent
    district = AreaKind.objects.get(slug="stadtteil")
    assert (district.name_en, district.name_plural_en) == ("District", "Districts")
    assert AreaKind.objects.get(slug="sozialraum").name_en == ""
    network = BodyKind.objects.get(slug="netzwerk")
    assert network.name_en == "Our network"  # an admin's English name stays
    assert network.name_plural_en == "Networks"  # the blank field is filled
    assert Topic.objects.get(slug="jugend").name_en == "Youth"
    assert ConcernCategory.objects.get(slug="beleuchtung").name_en == "Street lighting"


def test_the_shipped_offer_vocabularies_have_every_english_name():
    from quartier.offers import taxonomy

    for name in ("target_groups.csv", "languages.csv"):
        assert all(row["name_en"] for row in taxonomy._read_csv(name)), name


# Editing in the Django admin -------------------------------------------------------------

ADMIN_PAGES = [
    ("offers", "taxonomyterm"),
    ("offers", "targetgroup"),
    ("offers", "language"),
    ("events", "category"),
    ("areas", "areakind"),
    ("networks", "bodykind"),
    ("networks", "topic"),
    ("concerns", "category"),
]


@pytest.mark.parametrize(("app", "model"), ADMIN_PAGES)
def test_platform_admins_edit_the_english_name(admin_client, rf, app, model):
    from django.contrib import admin

    assert admin_client.get(f"/admin/{app}/{model}/").status_code == 200
    model_admin = admin.site._registry[apps.get_model(app, model)]
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert "name_en" in model_admin.get_fields(request)
    assert "name_en" in model_admin.get_list_display(request)


def test_english_name_is_saved_and_too_long_input_refused(admin_client, db):
    topic = Topic.objects.create(slug="kita", name="Kita")
    url = f"/admin/networks/topic/{topic.pk}/change/"
    response = admin_client.post(url, {"name": "Kita", "name_en": "Day care"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name_en == "Day care"
    response = admin_client.post(url, {"name": "Kita", "name_en": "x" * 500})
    assert response.status_code == 200  # the form again, with its error
    topic.refresh_from_db()
    assert topic.name_en == "Day care"


def test_vocabularies_are_not_added_or_deleted_in_the_admin(admin_client, db):
    topic = Topic.objects.create(slug="schule", name="Schule")
    assert admin_client.get("/admin/networks/topic/add/").status_code == 403
    assert admin_client.get(f"/admin/networks/topic/{topic.pk}/delete/").status_code == 403


def test_others_may_not_edit_vocabularies(client, db):
    topic = Topic.objects.create(slug="familie", name="Familie")
    url = f"/admin/networks/topic/{topic.pk}/change/"
    assert client.post(url, {"name": "Familie", "name_en": "Hacked"}).status_code == 302
    client.force_login(UserFactory())
    assert client.post(url, {"name": "Familie", "name_en": "Hacked"}).status_code == 302
    topic.refresh_from_db()
    assert topic.name_en == ""
