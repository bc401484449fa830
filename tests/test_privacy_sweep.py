"""The privacy sweep: every public output, searched for personal and internal data.

The test world holds sentinels (tests/sentinels.py): secret values planted where personal or
internal data lives (requesters, registrants, helpers, subscribers, internal contact fields,
people with an internal or an ended position, internal notes, a staff user's address) and
public values that must show. The sweep requests, as an anonymous visitor and as a resident,
every GET route of the role matrix (tests/<app>/routes.py) and every link it finds in the
answers (pages, HSDS, OParl, the other APIs, iCal feeds, GeoJSON, CSV, PDF, whose text is
extracted), and fails when a secret appears.

So that it can fail at all, it also checks the positive control: each public sentinel shows
somewhere, and every kind of output was read and showed at least one of them. A new app needs
nothing but its routes.py and sentinels planted in its world.py (CONTRIBUTING.md).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse

from quartier.networks.models import DocumentVersion
from tests import sentinels
from tests.matrix import all_routes
from tests.pdf import pdf_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning"),
]

# Pages of one URL pattern read per role: enough to reach each object of the small world, and a
# bound where pages link on without end (month after month of a calendar).
PER_PATTERN = 6
NOT_SWEPT = ("/static/", "/media/", "/admin/")
# Every kind of output whose text the sweep reads must show a public sentinel (the control).
KINDS = ("page", "hsds", "oparl", "api", "ical", "geojson", "csv", "pdf")

_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)""")
_ABSOLUTE = re.compile(r"""https?://testserver(/[^\s"'<>\\]*)""")
_JSON_PATH = re.compile(r'"(/(?:api|[a-z-]+)/[^"\s\\]*)"')


@dataclass
class Sweep:
    leaks: list[str] = field(default_factory=list)
    public_seen: set[str] = field(default_factory=set)
    kinds_seen: set[str] = field(default_factory=set)
    kinds_read: Counter = field(default_factory=Counter)
    requested: int = 0


def _kind(url: str, content_type: str) -> str:
    path = urlsplit(url).path
    if "pdf" in content_type:
        return "pdf"
    if "calendar" in content_type:
        return "ical"
    if "csv" in content_type:
        return "csv"
    if "zip" in content_type:
        return "zip"
    if "geo+json" in content_type or "geojson" in path:
        return "geojson"
    if path.startswith("/api/hsds/"):
        return "hsds"
    if path.startswith("/api/oparl/"):
        return "oparl"
    if "json" in content_type:
        return "api"
    if "html" in content_type:
        return "page"
    return "other"


def _body(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _text(kind: str, body: bytes) -> str:
    if kind == "pdf":
        from pypdf.errors import PdfReadError

        try:
            return pdf_text(body)
        except PdfReadError:  # an uploaded file that is not a real PDF: read its bytes
            return body.decode(errors="replace")
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode(errors="replace") for name in archive.namelist()
            )
    text = body.decode(errors="replace")
    if kind == "ical":
        text = re.sub(r"\r?\n[ \t]", "", text)  # unfold (RFC 5545, 3.1)
    return text


def _links(text: str) -> list[str]:
    found = [html.unescape(link) for link in _LINK.findall(text)]
    found += _ABSOLUTE.findall(text)
    found += _JSON_PATH.findall(text)
    # "{pk}": a path template (the OpenAPI document), not a link.
    return [
        link
        for link in found
        if link.startswith("/") and not link.startswith("//") and "{" not in link
    ]


def _seeds(world) -> list[str]:
    return [
        reverse(route.name, kwargs=route.kwargs(world)) + route.query
        for route in all_routes()
        if route.method == "get"
    ]


def sweep(world, role: str) -> Sweep:
    client = world.client(role)
    result = Sweep()
    queue = deque(_seeds(world))
    seen: set[str] = set()
    per_pattern: Counter = Counter()
    while queue:
        url = queue.popleft()
        if url in seen or url.startswith(NOT_SWEPT):
            continue
        seen.add(url)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        pattern = f"{match.namespace}:{match.route}"
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        response = client.get(url)
        result.requested += 1
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(response["Location"])
            continue
        kind = _kind(url, response.get("Content-Type", ""))
        text = _text(kind, _body(response))
        result.kinds_read[kind] += 1
        secrets, public = sentinels.found_in(text)
        result.leaks += [f"{label!r} in {kind} {url} ({role})" for label in sorted(secrets)]
        result.public_seen |= public
        if public:
            result.kinds_seen.add(kind)
        if kind in ("page", "hsds", "oparl", "api", "geojson"):
            queue.extend(_links(text))
    return result


@pytest.fixture
def stored_documents(world, settings, tmp_path):
    """The world's documents with their files, so that downloads answer (tests/oparl)."""
    settings.MEDIA_ROOT = tmp_path
    for version in DocumentVersion.objects.all():
        default_storage.save(version.file.name, ContentFile(b"%PDF-1.4 Rahmenkonzept"))
    return world


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_no_personal_or_internal_data_in_any_public_output(stored_documents, role):
    world = stored_documents
    caches["default"].clear()
    result = sweep(world, role)
    print(f"{role}: {result.requested} requests, read {dict(result.kinds_read)}")
    assert not result.leaks, "Personal or internal data in public outputs:\n" + "\n".join(
        result.leaks
    )
    # The positive control: the sweep reads every kind of output and finds what is public.
    missing_public = sorted(set(sentinels.PUBLIC.values()) - result.public_seen)
    assert not missing_public, f"Public sentinels never seen (the sweep is blind): {missing_public}"
    blind = [kind for kind in KINDS if kind not in result.kinds_seen]
    assert not blind, (
        f"No public sentinel seen in these kinds of output: {blind} "
        f"(read: {dict(result.kinds_read)}); the sweep cannot tell whether they leak"
    )
