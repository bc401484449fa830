import pytest
from django.test import RequestFactory
from django.urls import reverse

from quartier.search import facetindex
from quartier.search.services import area_offers
from tests.factories.offers import LocationFactory, OfferFactory

# The whole area start page, all apps' sections included (14 when measured; 18 with the
# sections of monitoring, projects and concerns, one query each and one for the registry's
# page of projects; 19 with the news and the participation rounds, while the walks below an
# area take one query each). The test below shows it does not grow with the offers.
AREA_PAGE_BUDGET = 19


@pytest.fixture
def many_offers(catalogue):
    for number in range(30):
        OfferFactory(
            name=f"Beratungsstelle {number}",
            locations=[LocationFactory(lat=49.70 + number / 1000, lon=6.60)],
        )


def test_search_page_lists_results_and_facets(client, catalogue):
    response = client.get(reverse("search:search"), {"q": "Beratung"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Schuldnerberatung der Caritas" in content
    assert "3 Angebote gefunden" in content
    assert 'rel="alternate" type="application/geo+json"' in content
    assert "Geheime Beratung" not in content


def test_search_page_works_as_htmx_partial(client, catalogue):
    # A word of the offer's own name: the shipped synonym groups (Kita) are gone after a
    # committing test's cleanup on PostgreSQL, and this test is about the partial, not synonyms.
    response = client.get(
        reverse("search:search"), {"q": "Kindertagesstätte"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Kindertagesst" in response.content


def test_geojson_and_list_show_the_same_set(client, catalogue):
    listed = client.get(reverse("api:search_offers_api"), {"q": "Beratung"}).json()
    mapped = client.get(reverse("api:search_geojson"), {"q": "Beratung"}).json()
    assert {r["id"] for r in listed["results"]} == {
        f["properties"]["offer"] for f in mapped["features"]
    }


def test_api_returns_results_and_facets(client, catalogue):
    data = client.get(reverse("api:search_offers_api"), {"q": "Beratung", "lang": "ar"}).json()
    assert data["total"] == 2
    assert {option["value"]: option["count"] for option in data["facets"]["lang"]}["ar"] == 2
    assert data["facets"]["free"] == 1


def test_api_clamps_per_page_and_says_so(client, catalogue):
    data = client.get(reverse("api:search_offers_api"), {"per_page": 1_000_000}).json()
    assert data["per_page"] == 100
    assert data["notices"]


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "7,50,6,49"},
        {"bbox": "a,b,c"},
        {"lat": "91", "lon": "6"},
        {"lat": "abc", "lon": "6"},
        {"lat": "49.7"},
    ],
)
def test_api_rejects_bad_coordinates_with_a_reason(client, catalogue, params):
    response = client.get(reverse("api:search_geojson"), params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] and body["errors"]


def test_search_page_explains_bad_bbox(client, catalogue):
    response = client.get(reverse("search:search"), {"bbox": "7,50,6,49"})
    assert response.status_code == 400
    assert "vertauscht" in response.content.decode() or "invert" in response.content.decode()


def test_guided_search_ranks_with_reasons(client, world, catalogue):
    from tests.factories.areas import AreaFactory

    area = AreaFactory(slug="trier-west", name="Trier-West", centre_lat=49.7555, centre_lon=6.6200)
    client.force_login(world.users["coordinator"])
    response = client.post(
        reverse("search:guided"),
        {"area": area.slug, "ages": "3", "topics": [catalogue["kita"].pk], "radius": "50"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    assert "Kindertagesstätte St. Martin" in content


def test_guided_search_is_for_professionals(client, world):
    client.force_login(world.users["resident"])
    assert client.get(reverse("search:guided")).status_code == 403


# The offers block on an area's start page (search/partials/area_section.html).


@pytest.fixture
def quarter(db):
    """A district with a sub-area: offers of the sub-area serve the district too."""
    from tests.factories.areas import AreaFactory, link

    district = AreaFactory(slug="nordstadt", name="Nordstadt", kind__level=1)
    block = AreaFactory(slug="nordstadt-ost", name="Nordstadt-Ost", kind__level=2)
    link(district, block)
    elsewhere = AreaFactory(slug="suedstadt", name="Südstadt", kind__level=1)
    OfferFactory(name="Stadtteilcafé Nord", areas=[district])
    OfferFactory(name="Bewohnertreff Ost", areas=[block])
    OfferFactory(name="Entwurf Nord", areas=[district], review_state="draft")
    OfferFactory(name="Mittagstisch Süd", areas=[elsewhere])
    return {"district": district, "block": block, "elsewhere": elsewhere}


def _area_page(client, area, **headers):
    response = client.get(reverse("areas:detail", kwargs={"slug": area.slug}), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_area_page_has_one_offers_block_with_count_examples_and_ways_on(client, quarter):
    district = quarter["district"]
    html = _area_page(client, district)
    assert html.count('id="area-offers-heading"') == 1
    assert "Angebote hier" not in html  # the former second block is gone
    assert "2 Angebote sind für dieses Gebiet da." in html
    assert "Bewohnertreff Ost" in html  # from the sub-area
    assert "Stadtteilcafé Nord" in html
    assert "Entwurf Nord" not in html
    assert "Mittagstisch Süd" not in html
    query = f"?area={district.pk}"
    assert f'href="{reverse("search:search")}{query}">Alle Angebote in diesem Gebiet' in html
    assert f'href="{reverse("search:map")}{query}">Auf der Karte zeigen' in html
    assert reverse("offers:area_pdf", kwargs={"slug": district.slug}) in html
    assert reverse("offers:area_csv", kwargs={"slug": district.slug}) in html


def test_area_offers_block_speaks_english(client, quarter):
    html = _area_page(client, quarter["elsewhere"], HTTP_ACCEPT_LANGUAGE="en")
    assert "1 offer serves this area." in html
    assert "All offers in this area" in html
    assert "Show on the map" in html


def test_area_offers_block_agrees_with_the_search_it_links_to(client, quarter):
    district = quarter["district"]
    html = _area_page(client, district)
    listed = client.get(reverse("api:search_offers_api"), {"area": district.pk}).json()
    assert listed["total"] == 2
    assert f"{listed['total']} Angebote sind für dieses Gebiet da." in html
    first = [result["name"] for result in listed["results"]]
    assert html.index(first[0]) < html.index(first[1])  # the same order as the search


def test_area_offers_block_shows_the_first_few_and_counts_all(client, quarter):
    from quartier.search.views import AREA_OFFERS_SHOWN

    for number in range(AREA_OFFERS_SHOWN + 3):
        OfferFactory(name=f"Angebot {number:02d}", areas=[quarter["block"]])
    html = _area_page(client, quarter["block"])
    # These, Bewohnertreff Ost, and the district's Stadtteilcafé Nord (issue #17).
    assert f"{AREA_OFFERS_SHOWN + 5} Angebote sind für dieses Gebiet da." in html
    assert html.count('<li class="card"><h3>') == AREA_OFFERS_SHOWN
    assert "Angebot 00" in html
    assert f"Angebot {AREA_OFFERS_SHOWN + 2:02d}" not in html  # beyond the first few


def test_area_without_offers_has_no_offers_block(client, db):
    from tests.factories.areas import AreaFactory

    area = AreaFactory(slug="leer", name="Leerfeld")
    OfferFactory(name="Nur ein Entwurf", areas=[area], review_state="draft")
    html = _area_page(client, area)
    assert 'id="area-offers-heading"' not in html
    assert "Nur ein Entwurf" not in html


@pytest.fixture
def warm_index():
    """Committed data and a process index that is read once (as in a running server; inside
    a test's transaction every call would rebuild a private index)."""
    facetindex.reset()
    yield
    facetindex.reset()


@pytest.mark.django_db(transaction=True)
def test_area_page_query_budget_does_not_grow_with_offers(
    client, quarter, warm_index, django_assert_max_num_queries
):
    for number in range(40):
        OfferFactory(
            name=f"Beratung {number}",
            areas=[quarter["block"]],
            locations=[LocationFactory(lat=49.70 + number / 1000, lon=6.60)],
        )
    # The process keeps the index and the area hierarchy (read once after areas change).
    area_offers(area_id=quarter["block"].pk, first=1)
    with django_assert_max_num_queries(AREA_PAGE_BUDGET):
        html = _area_page(client, quarter["district"])
    assert "42 Angebote sind für dieses Gebiet da." in html


@pytest.mark.django_db(transaction=True)
def test_area_offers_block_costs_three_queries(rf, quarter, warm_index, django_assert_num_queries):
    from quartier.search.views import area_context

    for number in range(20):
        OfferFactory(name=f"Beratung {number}", areas=[quarter["block"]])
    # The process keeps the index and the area hierarchy (read once after areas change).
    area_context(rf.get("/"), quarter["block"])
    # Then: the change log's probe, the first documents by name, their offers.
    with django_assert_num_queries(3):
        context = area_context(rf.get("/"), quarter["district"])
        [offer.organisation.name for offer in context["offers"]]
    assert context["count"] == 22


@pytest.mark.parametrize("few", [100, 3])  # the database sorts them; the name index is walked
def test_area_offers_are_the_first_of_the_search_by_name(client, quarter, monkeypatch, few):
    from quartier.search import results
    from quartier.search.views import AREA_OFFERS_SHOWN, area_context

    monkeypatch.setattr(results, "FIRST_BY_ID_LIMIT", few)
    monkeypatch.setattr(results, "NAME_CHUNK", 2)
    for number in (5, 1, 9, 3, 7, 3, 8, 2):  # a repeated name: the id decides
        OfferFactory(name=f"Treff {number}", areas=[quarter["block"]])
    for number in range(4):  # elsewhere, in between by name
        OfferFactory(name=f"Treff {number}a")
    listed = client.get(
        reverse("api:search_offers_api"), {"area": quarter["district"].pk, "sort": "name"}
    ).json()["results"]
    context = area_context(RequestFactory().get("/"), quarter["district"])
    shown = [str(offer.pk) for offer in context["offers"]]
    assert shown == [result["id"] for result in listed][:AREA_OFFERS_SHOWN]
    assert context["count"] == len(listed)


# Bad input on the search page: 400, every field marked, a summary linking to it.


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"topic": "xyz"}, "id_topic", "xyz ist keine gültige Auswahl"),
        ({"area": "abc"}, "id_area", "abc ist keine gültige Auswahl"),
        ({"lang": "xx"}, "id_lang", "xx ist keine gültige Auswahl"),
        ({"group": "zz"}, "id_group", "zz ist keine gültige Auswahl"),
        ({"weekday": "9"}, "id_weekday", "gültige Auswahl"),
        ({"sort": "price"}, "id_sort", "gültige Auswahl"),
    ],
)
def test_search_page_marks_each_bad_field_and_links_to_it(
    client, catalogue, params, field, message
):
    response = client.get(reverse("search:search"), {**params, "free": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("field-invalid") == 1
    assert f'<a href="#{field}">' in html  # the summary links to the field ...
    assert f'id="{field}"' in html  # ... which is there to be reached
    assert f'id="{field}_error"' in html
    assert message in html
    # The flags stay, the ticked one still ticked.
    assert '<input type="checkbox" class="facet-input" name="free" id="id_free" checked>' in html
    assert 'name="barrier_free"' in html and 'name="open_now"' in html


def test_search_page_keeps_the_good_choices_next_to_a_bad_one(client, catalogue):
    topic = catalogue["beratung"].pk
    response = client.get(reverse("search:search"), {"topic": [str(topic), "xyz"], "lang": "ar"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="lang" value="ar" id="id_lang_1" checked' in html
    assert "Thema: Bitte eine gültige Auswahl treffen. xyz ist keine gültige Auswahl." in html


def test_search_page_explains_bad_input_in_english(client, catalogue):
    response = client.get(reverse("search:search"), {"topic": "xyz"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the marked entries." in html
    assert "Topic: Select a valid choice. xyz is not one of the available choices." in html


def test_search_page_links_hidden_fields_errors_to_the_where_fieldset(client, catalogue):
    response = client.get(reverse("search:search"), {"lat": "49.7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#search-where">' in html
    assert 'id="search-where"' in html


@pytest.mark.parametrize(
    ("page", "notice"),
    [
        ("-1", "Die Seitenzahl wurde auf 1 begrenzt."),
        ("0", "Die Seitenzahl wurde auf 1 begrenzt."),
        ("100000", "Die Seitenzahl wurde auf 500 begrenzt."),
        ("abc", "Die Seitenzahl „abc“ ist keine Zahl: Seite 1 wird gezeigt."),
    ],
)
def test_search_page_clamps_the_page_number_and_says_so(client, catalogue, page, notice):
    response = client.get(reverse("search:search"), {"q": "Beratung", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert notice in html
    assert "field-invalid" not in html


def test_api_clamps_the_page_number_too(client, catalogue):
    response = client.get(reverse("api:search_offers_api"), {"page": "-1"})
    assert response.status_code == 200
    assert response.json()["page"] == 1
    assert response.json()["notices"]


# The API takes what the page's form sends; the documentation says what it accepts.


@pytest.mark.parametrize("name", ["search_offers_api", "search_geojson"])
def test_api_takes_empty_fields_as_not_set_like_the_page(client, catalogue, name):
    params = {"q": "Beratung", "weekday": "", "radius": "", "lat": "", "lon": ""}
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200
    assert response.json()["total"] == 3
    assert client.get(reverse("search:search"), params).status_code == 200


@pytest.mark.parametrize("params", [{"weekday": "x"}, {"weekday": "7"}, {"radius": "3"}])
def test_api_still_rejects_bad_values_with_a_reason(client, catalogue, params):
    response = client.get(reverse("api:search_offers_api"), params)
    assert response.status_code == 422
    assert response.json()["message"]


def test_api_radius_accepts_what_the_documentation_lists(client, catalogue):
    from quartier.search.forms import RADIUS_CHOICES

    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/search/offers"]["get"]
    radius = next(p for p in operation["parameters"] if p["name"] == "radius")
    for value, _label in RADIUS_CHOICES:
        assert value in radius["description"]
        response = client.get(
            reverse("api:search_offers_api"),
            {"near": "", "lat": 49.75, "lon": 6.64, "radius": value},
        )
        assert response.status_code == 200
    assert "1, 2, 5, 10, 25 or 50" in radius["description"]


def test_geojson_does_not_document_or_judge_a_sort(client, catalogue):
    schema = client.get("/api/openapi.json").json()
    geojson = schema["paths"]["/api/search/offers.geojson"]["get"]
    listed = schema["paths"]["/api/search/offers"]["get"]
    assert "sort" not in {p["name"] for p in geojson["parameters"]}
    assert "sort" in {p["name"] for p in listed["parameters"]}
    # The map passes the page's query on: its sort is ignored, not an error.
    response = client.get(reverse("api:search_geojson"), {"q": "Beratung", "sort": "name"})
    assert response.status_code == 200


def test_radius_select_shows_the_default_radius_as_chosen(client, catalogue):
    html = client.get(reverse("search:search"), {"q": "Beratung"}).content.decode()
    assert '<option value="5" selected>5 km</option>' in html
    assert '<option value="1" selected>' not in html
    html = client.get(reverse("search:search"), {"radius": "10"}).content.decode()
    assert '<option value="10" selected>10 km</option>' in html
    assert '<option value="5" selected>' not in html


# Paused offers stay listed (never open), marked as paused.


def test_result_cards_mark_paused_offers(client, catalogue):
    OfferFactory(name="Sprechstunde Pause", description="Beratung", status="paused")
    html = client.get(reverse("search:search"), {"q": "Sprechstunde"}).content.decode()
    assert (
        '<a href="/angebote/' in html
        and 'Sprechstunde Pause</a> <span class="tag tag-paused">pausiert</span>' in html
    )
    active = client.get(reverse("search:search"), {"q": "Schuldnerberatung"}).content.decode()
    assert "tag-paused" not in active
    english = client.get(
        reverse("search:search"), {"q": "Sprechstunde"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<span class="tag tag-paused">paused</span>' in english


def test_area_offers_block_links_the_catalogue_only_within_the_export_limit(
    client, quarter, settings
):
    from tests.factories.areas import AreaFactory, link

    district, block = quarter["district"], quarter["block"]
    west = AreaFactory(slug="nordstadt-west", name="Nordstadt-West", kind__level=2)
    link(district, west)
    OfferFactory(name="Spielplatztreff West", areas=[west])
    # The district has 3 offers; its sub-area 2 (its own and the district's Stadtteilcafé).
    settings.QUARTIER_OFFER_EXPORT_MAX = 2
    html = _area_page(client, district)
    assert reverse("offers:area_pdf", kwargs={"slug": district.slug}) not in html
    assert reverse("offers:area_csv", kwargs={"slug": district.slug}) not in html
    assert "Der Katalog als PDF oder CSV ist für Gebiete mit bis zu 2 Angeboten verfügbar" in html
    # The refused export agrees: the link would have led to a 400.
    pdf = client.get(reverse("offers:area_csv", kwargs={"slug": district.slug}))
    assert pdf.status_code == 400
    small = _area_page(client, block)
    assert reverse("offers:area_pdf", kwargs={"slug": block.slug}) in small
    assert reverse("offers:area_csv", kwargs={"slug": block.slug}) in small
    english = _area_page(client, district, HTTP_ACCEPT_LANGUAGE="en")
    assert "The catalogue as PDF or CSV is available for areas with up to 2 offers:" in english


def test_weekday_select_shows_the_counts_the_api_gives(client, catalogue):
    from tests.factories.offers import ScheduleFactory

    ScheduleFactory(offer=catalogue["offers"]["schulden"], weekday=0)
    ScheduleFactory(offer=catalogue["offers"]["familie"], weekday=0)
    ScheduleFactory(offer=catalogue["offers"]["familie"], weekday=1)
    html = client.get(reverse("search:search"), {"q": "Beratung"}).content.decode()
    api = client.get(reverse("api:search_offers_api"), {"q": "Beratung"}).json()
    assert api["facets"]["weekday"]["0"] == 2 and api["facets"]["weekday"]["1"] == 1
    assert '<option value="0">Montag (2)</option>' in html
    assert '<option value="1">Dienstag (1)</option>' in html
    assert '<option value="2">Mittwoch (0)</option>' in html
    assert '<option value="" selected>beliebiger Tag</option>' in html
    chosen = client.get(reverse("search:search"), {"weekday": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="1" selected>Tuesday (1)</option>' in chosen.content.decode()
    # The counts belong to one search: the form class keeps its plain labels.
    bad = client.get(reverse("search:search"), {"topic": "xyz"}).content.decode()
    assert '<option value="0">Montag</option>' in bad
