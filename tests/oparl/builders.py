"""Small builders for networks objects, so the OParl tests do not wait for the app's factories.

They create rows directly with the fields OParl reads; defaults are public unless said otherwise.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from quartier.directory.models import Position
from quartier.networks.models import (
    AgendaItem,
    Body,
    BodyKind,
    Delegate,
    Document,
    DocumentKind,
    DocumentVersion,
    Meeting,
    Membership,
    Minutes,
    Visibility,
)
from quartier.statements.models import Signature, State, Statement

_numbers = itertools.count(1)


def gremium(*, areas: list[Any], name: str | None = None, **fields: Any) -> Body:
    kind, _ = BodyKind.objects.get_or_create(slug="netzwerk", defaults={"name": "Netzwerk"})
    number = next(_numbers)
    body = Body.objects.create(
        kind=kind,
        name=name or f"Netzwerk {number}",
        slug=f"netzwerk-{number}",
        **fields,
    )
    body.areas.set(areas)
    return body


def member(body: Body, organisation: Any, **fields: Any) -> Membership:
    return Membership.objects.create(body=body, organisation=organisation, **fields)


def delegate(membership: Membership, person: Any, *, public_contact: bool = True) -> Delegate:
    """A delegate; `public_contact` makes them a public contact of the member organisation."""
    if public_contact:
        Position.objects.get_or_create(
            person=person,
            organisation=membership.organisation,
            defaults={"role": "Delegierte", "is_public": True},
        )
    return Delegate.objects.create(membership=membership, person=person)


def meeting(body: Body, *, start: datetime.datetime | None = None, **fields: Any) -> Meeting:
    start = start or timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    fields.setdefault("title", f"Treffen {next(_numbers)}")
    return Meeting.objects.create(
        body=body, start=start, end=start + datetime.timedelta(hours=2), **fields
    )


def agenda_item(meeting_obj: Meeting, title: str, **fields: Any) -> AgendaItem:
    fields.setdefault("status", AgendaItem.Status.ACCEPTED)
    fields.setdefault("position", next(_numbers))
    return AgendaItem.objects.create(meeting=meeting_obj, title=title, **fields)


def publish_agenda(meeting_obj: Meeting) -> None:
    meeting_obj.agenda_published_at = timezone.now()
    meeting_obj.save(update_fields=["agenda_published_at", "updated_at"])


def minutes(meeting_obj: Meeting, text: str, *, public: bool = True, approved: bool = True):
    return Minutes.objects.create(
        meeting=meeting_obj,
        text=text,
        visibility=Visibility.PUBLIC if public else Visibility.MEMBERS,
        status=Minutes.Status.APPROVED if approved else Minutes.Status.DRAFT,
        approved_at=timezone.now() if approved else None,
    )


def document(
    body: Body,
    title: str,
    *,
    public: bool = True,
    content: bytes = b"%PDF-1.4 test",
    store: bool = True,
    **fields: Any,
) -> Document:
    fields.setdefault("kind", DocumentKind.STATEMENT)
    doc = Document.objects.create(
        body=body,
        title=title,
        visibility=Visibility.PUBLIC if public else Visibility.MEMBERS,
        **fields,
    )
    add_version(doc, content, store=store)
    return doc


def statement(
    body: Body, title: str, *, signers: list[Any], withdrawn: list[Any] = (), store: bool = True
) -> Statement:
    """A joint statement published with `signers` (its PDF as a public statement document),
    and signatures withdrawn before publication by `withdrawn`."""
    today = timezone.localdate()
    doc = document(body, title, store=store, date=today)
    published = Statement.objects.create(
        body=body,
        title=title,
        text=f"{title}: Wir fordern einen Jugendtreff.",
        state=State.PUBLISHED,
        published_at=timezone.now(),
        document=doc,
    )
    for organisation in withdrawn:
        Signature.objects.create(
            statement=published,
            organisation=organisation,
            signed_on=today,
            withdrawn_at=timezone.now(),
        )
    for organisation in signers:
        Signature.objects.create(statement=published, organisation=organisation, signed_on=today)
    return published


def add_version(doc: Document, content: bytes, *, store: bool = True) -> DocumentVersion:
    """A new version; `store=False` records it without writing a file (for the shared world,
    which has no temporary media folder)."""
    number = doc.versions.count() + 1
    version = DocumentVersion(
        document=doc,
        number=number,
        file_name=f"stellungnahme-{number}.pdf",
        mime_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    if store:
        version.file.save(version.file_name, ContentFile(content), save=False)
    else:
        version.file.name = f"networks/documents/missing/{version.file_name}"
    version.save()
    return version
