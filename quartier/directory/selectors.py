"""Reads of the directory that other apps use: above all, who may be shown as a contact person.

The one rule for a public contact (every output that names contact persons asks here: offer
pages and their API, the HSDS export, OParl, network pages, the directory's own pages):

- a person is named publicly only while holding a current position marked public
  (`Position.objects.public()`), at the organisation the output speaks for where it has one
  (an offer: the offer's organisation); a person whose position ended or is internal is not
  named at all;
- and is then shown with the fields `Person.public_contact()` returns and nothing else.

`tests/test_privacy_sweep.py` requests every public output and fails when an internal person
or field appears.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, Prefetch, Q, QuerySet

from quartier.areas.selectors import descendant_ids
from quartier.core.geocoding import ESTIMATED, normalise_street
from quartier.directory.models import Organisation, Person, Position


def public_positions() -> QuerySet[Position]:
    """Current positions marked public: the positions that make a person a public contact."""
    return Position.objects.public()


def is_public_contact(*, person: Any, organisation: Any = None) -> Exists:
    """SQL condition: `person` (a value or an OuterRef) holds a public position, at
    `organisation` (a value or an OuterRef) when given, else at any organisation."""
    positions = public_positions().filter(person=person)
    if organisation is not None:
        positions = positions.filter(organisation=organisation)
    return Exists(positions)


def contact_card(position: Position) -> dict[str, str]:
    """What a public output shows of a public contact: name, role, the public fields."""
    person = position.person
    return {"name": person.full_name, "role": position.role, **person.public_contact()}


def public_contact_cards(
    persons: QuerySet[Person] | Iterable[Person], organisation_id: Any
) -> list[dict[str, str]]:
    """The public contacts among `persons` for the organisation, one card each, in the order
    of people (family name, given name); one query."""
    positions = (
        public_positions()
        .filter(organisation_id=organisation_id, person__in=persons)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "person_id", "role")
    )
    cards: list[dict[str, str]] = []
    seen: set[Any] = set()
    for position in positions:
        if position.person_id not in seen:
            seen.add(position.person_id)
            cards.append(contact_card(position))
    return cards


def public_organisations(
    *, text: str = "", area: Any = None, kind: str = ""
) -> QuerySet[Organisation]:
    """The public index of organisations: active ones, by name; `text` matches the name, the
    description and the city, `area` the organisations working in it or in an area below it.
    Each carries `public_positions` (its public contacts, people loaded with them): the index
    shows them with `Person.public_contact()` only."""
    organisations = Organisation.objects.active()
    for word in text.split()[:8]:
        organisations = organisations.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(city__icontains=word)
        )
    if area is not None:
        organisations = organisations.filter(
            pk__in=Organisation.objects.filter(areas__in=descendant_ids([area.pk])).values("pk")
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    contacts = (
        public_positions()
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "role")
    )
    return organisations.order_by("name", "pk").prefetch_related(
        Prefetch("positions", queryset=contacts, to_attr="public_positions")
    )


def known_place(street: str, postcode: str) -> tuple[float, float] | None:
    """An organisation at this (normalised) street and postcode with a point of its own
    (core/geocoding.py's "known place" step; never one only estimated from its postcode)."""
    rows = (
        Organisation.objects.filter(postcode=postcode, lat__isnull=False, lon__isnull=False)
        .exclude(street="")
        .exclude(position_source__in=ESTIMATED)
        .order_by("-updated_at")
        .values_list("street", "lat", "lon")
    )
    for other_street, lat, lon in rows[:500]:
        if normalise_street(other_street) == street and lat is not None and lon is not None:
            return lat, lon
    return None
