"""The print edition: an A4 PDF of an issue with WeasyPrint.

Images come only from this site's media files (read from disk); any other URL in an article
is not fetched (no requests to other servers or to internal addresses while rendering).
The PDF is made once, when first asked for after publication, and kept with the issue.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from quartier.publications import selectors
from quartier.publications.models import Issue

# A transparent 1x1 PNG stands in for every image that is not one of this site's media files.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


def _media_file(url: str) -> Path | None:
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for prefix in (settings.SITE_URL + settings.MEDIA_URL, settings.MEDIA_URL):
        if url.startswith(prefix):
            path = (media_root / url[len(prefix) :]).resolve()
            if path.is_relative_to(media_root) and path.is_file():
                return path
    return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class MediaOnlyFetcher(URLFetcher):
        """Serves this site's media files from disk; fetches nothing else."""

        def fetch(self, url, headers=None):
            path = _media_file(url)
            if path is None:
                return URLFetcherResponse(url, BLANK_PNG, {"Content-Type": "image/png"})
            return URLFetcherResponse(url, path.read_bytes())

    return MediaOnlyFetcher


def render_html(issue: Issue) -> str:
    return render_to_string(
        "publications/print.html",
        {
            "edition": selectors.edition(issue),
            "issue": issue,
            "site_url": settings.SITE_URL,
            "generated": timezone.localdate(),
        },
    )


def render_pdf(issue: Issue) -> bytes:
    from weasyprint import HTML  # imported late: loading pango costs time at start-up

    base = settings.SITE_URL + "/"
    fetcher = _fetcher_class()()
    return HTML(string=render_html(issue), base_url=base, url_fetcher=fetcher).write_pdf()


def issue_pdf(issue: Issue) -> bytes:
    """The kept PDF of a published issue, made now when there is none."""
    if issue.pdf:
        with issue.pdf.open("rb") as stored:
            return stored.read()
    data = render_pdf(issue)
    issue.pdf.save(f"quartierszeitung-{issue.pk}.pdf", ContentFile(data), save=False)
    Issue.objects.filter(pk=issue.pk).update(pdf=issue.pdf.name)
    return data
