"""Retention of contact persons and partner notes (docs/privacy.md), applied by
`quartier purge_personal_data`.

A person without a current position for QUARTIER_PERSON_RETENTION_DAYS is deleted: counted from
the latest end of a position, or from the creation when they never had one. Their history
records go too, since django-simple-history keeps the old contact data in them.

A partner note (`PartnerNote`) goes `PARTNER_NOTE_DAYS` after its last edit (default three
years, `QUARTIER_PARTNER_NOTE_RETENTION_DAYS`): a cooperation that is alive gets a new note at
least yearly (the annual planning round of the social space), so a note untouched for three
years describes one that has ended; three years is also the usual limitation period (§ 195
BGB) within which an agreement written there may still be asked about. The note names its
author, and may name the partner's staff in passing: kept no longer than that purpose.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from quartier.directory.models import PartnerNote, Person, Position

PARTNER_NOTE_DAYS_DEFAULT = 3 * 365


def partner_note_days() -> int:
    return int(getattr(settings, "QUARTIER_PARTNER_NOTE_RETENTION_DAYS", PARTNER_NOTE_DAYS_DEFAULT))


def stale_partner_notes(now: datetime.datetime | None = None) -> QuerySet[PartnerNote]:
    now = now or timezone.now()
    return PartnerNote.objects.stale(now - datetime.timedelta(days=partner_note_days()))


def stale_people(now: datetime.datetime | None = None) -> QuerySet[Person]:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.QUARTIER_PERSON_RETENTION_DAYS)
    current = Position.objects.filter(end_date__isnull=True).values("person_id")
    return (
        Person.objects.exclude(pk__in=current)
        .annotate(last_end=Max("positions__end_date"))
        .filter(Q(last_end__lt=cutoff.date()) | Q(last_end__isnull=True, created_at__lt=cutoff))
    )


def purge(*, dry_run: bool) -> dict[str, int]:
    ids = list(stale_people().values_list("pk", flat=True))
    notes = stale_partner_notes()
    note_count = notes.count()
    if not dry_run:
        Position.history.filter(person_id__in=ids).delete()
        Person.objects.filter(pk__in=ids).delete()
        Person.history.filter(id__in=ids).delete()
        notes.delete()
    return {"contact persons": len(ids), "partner notes": note_count}
