"""Consent records (DSGVO Art. 7(1)): `record(obj, purpose=..., text=...)` inside the service
that creates `obj`, with the consent text exactly as the form showed it. The version is a hash
of the text's source (untranslated) string, so a changed wording is a new version. The
record's model declares `consents = GenericRelation("core.ConsentRecord")` so that the record
goes when the row is deleted."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.functional import Promise

from quartier.core.models import ConsentRecord


def version(text: str | Promise) -> str:
    source = getattr(text, "_args", None) if isinstance(text, Promise) else None  # the msgid
    raw = source[0] if source else str(text)
    return hashlib.sha256(str(raw).encode()).hexdigest()[:12]


def record(obj: Any, *, purpose: str, text: str | Promise) -> ConsentRecord:
    return ConsentRecord.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        purpose=purpose,
        version=version(text),
        text=str(text),
        language=translation.get_language() or "",
    )


def describe(obj: Any) -> str:
    """For exports: each consent as "time (version): text"."""
    return "; ".join(
        f"{c.given_at.isoformat()} ({c.version}): {c.text}" for c in obj.consents.all()
    )
