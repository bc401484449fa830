"""The printed survey codes as a PDF: one slip per unused code (title, address, code, a QR
code of the address), for whoever runs the round; used codes are left out."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from quartier.participation import pdf, services
from quartier.participation.models import Round
from tests.participation.world import open_round
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def pdf_url(round_) -> str:
    return reverse("backoffice:participation:codes_pdf", kwargs={"pk": round_.pk})


def test_the_pdf_holds_a_slip_per_unused_code(world):
    response = world.client("coordinator").get(pdf_url(world.round))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(f'codes-{world.round.slug}.pdf"')
    text = pdf_text(response.content)
    assert world.survey_code.code in text and world.survey.title in text
    assert "/beteiligung/" in text and "Ihr Code" in text
    assert world.used_code.code not in text  # used: left out


def test_the_sheet_is_german_or_english():
    from django.utils import translation

    from quartier.participation.models import Code, Survey

    survey, codes = Survey(title="Umfrage"), [Code(code="ABCD2345")]
    for language, words in (("de", "Ihr Code"), ("en", "Your code")):
        with translation.override(language):
            html = pdf.render_html(round_=Round(), survey=survey, codes=codes, start="https://x/")
        assert words in html and f'lang="{language}"' in html


def test_the_slips_carry_a_qr_code_of_the_address():
    uri = pdf.qr_data_uri("https://quartier.example/beteiligung/nord/umfrage/")
    assert uri.startswith("data:image/svg+xml")


def test_a_full_sheet_fits_ten_slips_a_page(world):
    from pypdf import PdfReader

    services.codes_generate(survey=world.survey, count=21)  # 22 unused: three pages
    response = world.client("coordinator").get(pdf_url(world.round))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 3


def test_the_pdf_has_a_query_budget(world, django_assert_max_num_queries):
    services.codes_generate(survey=world.survey, count=30)
    client = world.client("coordinator")
    client.get(pdf_url(world.round))  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        assert client.get(pdf_url(world.round)).status_code == 200


@pytest.mark.parametrize("role", ["planner", "editor", "resident"])
def test_only_who_runs_the_round_downloads_the_codes(world, role):
    assert world.client(role).get(pdf_url(world.round)).status_code == 403


def test_another_areas_coordinator_gets_no_codes(world):
    assert world.client("coordinator").get(pdf_url(world.other_round)).status_code == 403


def test_anonymous_is_sent_to_the_login(world):
    response = world.client("anonymous").get(pdf_url(world.round))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_unknown_round_or_a_round_without_survey_is_404(world):
    client = world.client("coordinator")
    assert (
        client.get(reverse("backoffice:participation:codes_pdf", kwargs={"pk": 999999})).status_code
        == 404
    )
    without = open_round(world.concept, title="Ohne Umfrage")
    assert client.get(pdf_url(without)).status_code == 404


def test_the_sheet_page_links_the_pdf(world):
    page = (
        world.client("coordinator")
        .get(reverse("backoffice:participation:codes", kwargs={"pk": world.round.pk}))
        .content.decode()
    )
    assert pdf_url(world.round) in page
