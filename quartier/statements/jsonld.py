"""schema.org description of a published statement for its public page (JSON-LD).

A `Report` (a CreativeWork): the body is its author and publisher, the co-signing organisations
its contributors, the stored PDF its `encoding`. Only what the public page shows: the
organisations that signed, never the people who signed for them (docs/privacy.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone

from quartier.statements.models import Signature, Statement


def statement_jsonld(
    statement: Statement,
    *,
    signatures: Sequence[Signature],
    areas: Sequence[Any],
    absolute: Callable[[str], str],
) -> dict[str, Any]:
    """`absolute(path)` makes an absolute URL (request.build_absolute_uri)."""
    body = statement.body
    url = absolute(statement.get_absolute_url())
    author = {"@type": "Organization", "name": body.name, "url": absolute(body.get_absolute_url())}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": url,
        "url": url,
        "name": statement.title,
        "headline": statement.title[:110],
        "inLanguage": "de",
        "author": author,
        "publisher": author,
        "contributor": [
            {
                "@type": "Organization",
                "name": signature.organisation.name,
                "url": absolute(signature.organisation.get_absolute_url()),
            }
            for signature in signatures
        ],
        "encoding": {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": absolute(reverse("statements:pdf", kwargs={"pk": statement.pk})),
        },
    }
    if statement.published_at:
        data["datePublished"] = timezone.localtime(statement.published_at).date().isoformat()
    if statement.topic:
        data["about"] = statement.topic.name
    if areas:
        data["spatialCoverage"] = [
            {"@type": "Place", "name": area.name, "url": absolute(area.get_absolute_url())}
            for area in areas
        ]
    return data
