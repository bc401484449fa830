"""Retention of contact persons (docs/privacy.md), applied by `quartier purge_personal_data`.

A person without a current position for QUARTIER_PERSON_RETENTION_DAYS is deleted: counted from
the latest end of a position, or from the creation when they never had one. Their history
records go too, since django-simple-history keeps the old contact data in them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from quartier.directory.models import Person, Position


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
    if not dry_run:
        Position.history.filter(person_id__in=ids).delete()
        Person.objects.filter(pk__in=ids).delete()
        Person.history.filter(id__in=ids).delete()
    return {"contact persons": len(ids)}
