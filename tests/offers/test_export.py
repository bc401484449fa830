import csv
import io

import pytest
from django.urls import reverse

from tests.factories.offers import OfferFactory

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> str:
    """The text of a PDF: pdftotext when installed, otherwise the text WeasyPrint laid out."""
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        return result.stdout.decode()
    return ""


def _texts(document) -> str:
    words = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            words.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(words)


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
    text = _pdf_text(pdf)
    if not text:  # no pdftotext here: the text WeasyPrint laid out for the same HTML
        from weasyprint import HTML

        from quartier.areas.models import Area
        from quartier.offers.export import area_html
        from quartier.offers.selectors import area_offers

        area = Area.objects.get(pk=world.social_space.pk)
        text = _texts(HTML(string=area_html(area, list(area_offers(area)))).render())
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
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
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
