"""Writes on organisations, people and positions: atomic, each with a history record that
names its author (django-simple-history reads `_history_user`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from quartier.directory.models import Organisation, Person, Position


@transaction.atomic
def organisation_save(*, user, organisation: Organisation, area_ids: Iterable[int]) -> Organisation:
    """Create or change an organisation and set the areas it works in."""
    organisation.full_clean()
    organisation._history_user = user
    organisation.save()
    area_ids = set(area_ids)
    if set(organisation.areas.values_list("pk", flat=True)) != area_ids:
        organisation.areas.set(area_ids)
    return organisation


@transaction.atomic
def person_save(*, user, person: Person) -> Person:
    """Create or change a contact person (contact fields with their public/internal flags)."""
    person.full_clean()
    person._history_user = user
    person.save()
    return person


@transaction.atomic
def person_add_to_organisation(
    *, user, person: Person, organisation: Organisation, position: Position
) -> Position:
    """Save a (new) person and their position in `organisation` together, or neither."""
    person_save(user=user, person=person)
    position.person = person
    position.organisation = organisation
    position.full_clean()
    position._history_user = user
    position.save()
    return position


@transaction.atomic
def position_end(*, user, position: Position, end_date: datetime.date | None = None) -> Position:
    """End a position (the person stays, for the record, until the retention rule applies)."""
    position.end_date = end_date or timezone.localdate()
    position.full_clean()
    position._history_user = user
    position.save(update_fields=["end_date", "updated_at"])
    return position
