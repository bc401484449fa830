"""A small, realistic HSDS test catalogue built from the shared offers factories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from quartier.offers.models import Cost, OfferStatus, ReviewState, ScheduleKind, TermMapping
from tests.factories.areas import AreaFactory
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory
from tests.factories.offers import (
    LanguageFactory,
    LocationFactory,
    OfferFactory,
    OfferLocationFactory,
    ScheduleFactory,
    TargetGroupFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)


@dataclass
class Catalogue:
    offer: Any
    other_offer: Any
    draft: Any
    ended: Any
    organisation: Any
    location: Any
    link: Any
    term: Any
    child_term: Any
    taxonomy: Any
    person: Any
    area: Any


def build_catalogue(area=None) -> Catalogue:
    area = area or AreaFactory(name="Trier-West", slug="trier-west")
    carrier = OrganisationFactory(name="Caritasverband Trier", description="Träger")
    organisation = OrganisationFactory(
        name="Stadtteilbüro Trier-West",
        parent=carrier,
        phone="0651 123456",
        internal_notes="INTERN: nicht veröffentlichen",
    )
    taxonomy = TaxonomyFactory(slug="quartier-themen", name="Quartier-Themen")
    term = TaxonomyTermFactory(taxonomy=taxonomy, code="beratung", name="Beratung")
    child_term = TaxonomyTermFactory(
        taxonomy=taxonomy,
        code="erziehungsberatung",
        name="Erziehungsberatung",
        parent=term,
        legal_basis="§ 28 SGB VIII",
    )
    parents = TargetGroupFactory(slug="eltern", name="Eltern")
    german = LanguageFactory(code="de", name="Deutsch")
    turkish = LanguageFactory(code="tr", name="Türkisch")
    location = LocationFactory(
        organisation=organisation,
        name="Stadtteilbüro",
        street="Pater-Loskyll-Weg 15",
        postcode="54294",
        city="Trier",
        lat=49.7519,
        lon=6.6178,
        wheelchair_accessible=True,
        accessibility="Rampe am Seiteneingang",
        transport="Bus 1, Haltestelle Römerbrücke",
    )
    person = PersonFactory(
        given_name="Erika",
        family_name="Muster",
        email="erika.muster@example.org",
        email_public=True,
        phone="0651 999999",
        phone_public=False,
        mobile="0170 111111",
        mobile_public=True,
    )
    offer = OfferFactory(
        organisation=organisation,
        name="Erziehungsberatung im Quartier",
        description="Beratung für Eltern und Familien.",
        url="https://example.org/beratung",
        email="beratung@example.org",
        phone="0651 222222",
        cost=Cost.FREE,
        access_walk_in=True,
        access_appointment=True,
        min_age=0,
        max_age=27,
        easy_language_description="Hilfe für Eltern. Kostenlos.",
        last_verified=dt.date(2026, 5, 1),
        topics=[child_term],
        target_groups=[parents],
        languages=[german, turkish],
        areas=[area],
    )
    offer.contacts.add(person)
    # A public contact of the offer's organisation: the only people HSDS names.
    PositionFactory(person=person, organisation=organisation, role="Beratung")
    link = OfferLocationFactory(offer=offer, location=location, description="im Erdgeschoss")
    ScheduleFactory(
        offer=offer,
        location=location,
        weekday=1,
        opens_at="09:00",
        closes_at="12:00",
        valid_from=dt.date(2026, 1, 1),
    )
    ScheduleFactory(
        offer=offer,
        kind=ScheduleKind.DATE,
        weekday=None,
        valid_from=dt.date(2026, 12, 5),
        opens_at="14:00",
        closes_at="17:00",
        description="Adventscafé",
    )
    ScheduleFactory(
        offer=offer,
        kind=ScheduleKind.CLOSED,
        weekday=None,
        opens_at=None,
        closes_at=None,
        valid_from=dt.date(2026, 12, 23),
        valid_to=dt.date(2027, 1, 2),
        description="Weihnachtsferien",
    )
    other_offer = OfferFactory(
        organisation=carrier,
        name="Schuldnerberatung",
        cost=Cost.ON_REQUEST,
        status=OfferStatus.PAUSED,
        topics=[term],
    )
    draft = OfferFactory(
        organisation=organisation, name="Entwurf: Elterncafé", review_state=ReviewState.DRAFT
    )
    ended = OfferFactory(
        organisation=organisation, name="Beendet: Sommerferienprogramm", status=OfferStatus.ENDED
    )
    return Catalogue(
        offer=offer,
        other_offer=other_offer,
        draft=draft,
        ended=ended,
        organisation=organisation,
        location=location,
        link=link,
        term=term,
        child_term=child_term,
        taxonomy=taxonomy,
        person=person,
        area=area,
    )


@dataclass
class Exchange:
    taxonomy: Any
    family: Any
    parenting: Any
    counselling: Any
    community: Any


def add_exchange(c: Catalogue) -> Exchange:
    """An exchange taxonomy our topics are mapped onto: Erziehungsberatung onto the broader
    "parenting", its parent Beratung onto "counselling", and a merely related mapping."""
    taxonomy = TaxonomyFactory(slug="quartier-exchange", name="Austausch-Themen")
    family = TaxonomyTermFactory(taxonomy=taxonomy, code="family", name="Familie")
    parenting = TaxonomyTermFactory(
        taxonomy=taxonomy, code="family.parenting", name="Erziehung", parent=family
    )
    counselling = TaxonomyTermFactory(taxonomy=taxonomy, code="counselling", name="Beratung")
    community = TaxonomyTermFactory(taxonomy=taxonomy, code="community", name="Nachbarschaft")
    TermMapping.objects.create(
        source=c.child_term, target=parenting, relation=TermMapping.Relation.BROADER
    )
    TermMapping.objects.create(source=c.term, target=counselling)
    TermMapping.objects.create(
        source=c.child_term, target=community, relation=TermMapping.Relation.RELATED
    )
    return Exchange(taxonomy, family, parenting, counselling, community)
