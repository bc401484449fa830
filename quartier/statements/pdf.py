"""The published statement as an A4 PDF (WeasyPrint, as publications and networks do).

Rendered once at publication and kept as the body's public document; the text holds no
images, so the renderer fetches nothing (every URL is answered with nothing)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from quartier.statements import selectors
from quartier.statements.models import Statement


def render_html(statement: Statement) -> str:
    return render_to_string(
        "statements/print.html",
        {
            "statement": statement,
            "signatures": selectors.public_signatures(statement),
            "areas": list(statement.areas.all()),
            "site_url": settings.SITE_URL,
        },
    )


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NothingFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, b"", {"Content-Type": "text/plain"})

    return NothingFetcher()


def render_pdf(statement: Statement) -> bytes:
    from weasyprint import HTML  # imported late: loading pango costs time at start-up

    # The document of record is German, whatever language the publishing coordinator uses.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_html(statement)
    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher()).write_pdf()
