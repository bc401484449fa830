"""The printed survey codes as an A4 PDF (WeasyPrint, as the other PDFs of the project): one
slip per unused code to cut apart for door-to-door work, with the survey's title, its address,
the code and a QR code of the address (segno, a dependency already: accounts/twofactor.py).

Used codes are left out: a slip with a used code would only be refused at the door. The renderer
fetches nothing but the QR code's data: URI."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from quartier.participation.models import Code, Round, Survey

# Two columns of five slips: ten to an A4 page, each 9.5 × 5.2 cm with its padding. Each page
# is a table of its own, so no slip is ever cut by a page break.
COLUMNS = 2
STYLESHEET = Path(__file__).parent / "static" / "participation" / "codes_print.css"
SLIPS_PER_PAGE = 10


def pages_of(codes: list[Code]) -> list[list[list[Code]]]:
    """The codes as pages of rows of COLUMNS slips."""
    rows = [codes[i : i + COLUMNS] for i in range(0, len(codes), COLUMNS)]
    per_page = SLIPS_PER_PAGE // COLUMNS
    return [rows[i : i + per_page] for i in range(0, len(rows), per_page)]


def qr_data_uri(url: str) -> str:
    """The address as an SVG QR code in a data: URI: drawn once, and the renderer loads the
    same image once for every slip."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=0)


def render_html(*, round_: Round, survey: Survey, codes: list[Code], start: str) -> str:
    return render_to_string(
        "participation/backoffice/codes_print.html",
        {
            "round": round_,
            "survey": survey,
            "pages": pages_of(codes),
            "start": start,
            "qr": qr_data_uri(start),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


def _fetcher():
    from weasyprint.urls import URLFetcher

    # The QR code's data: URI only; anything else is refused (and left out of the PDF).
    return URLFetcher(allowed_protocols=("data",))


def render_pdf(*, round_: Round, survey: Survey, codes: list[Code], start: str) -> bytes:
    from weasyprint import CSS, HTML  # imported late: loading pango costs time at start-up

    html = render_html(round_=round_, survey=survey, codes=codes, start=start)
    # The layout as a file of its own: the template holds no <style> (tests/core/test_csp.py).
    style = CSS(filename=str(STYLESHEET), url_fetcher=_fetcher())
    document = HTML(string=html, base_url=start, url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[style])
