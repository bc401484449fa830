"""Our catalogue as HSDS tables: one list of rows per HSDS table (the tabular form).

The JSON form nests these rows (quartier.api.hsds.nest), the data package writes them as CSV
(quartier.api.hsds.package), the API pages through them. Empty values are left out of a row;
rows are sorted by id so that the same data always gives the same output.

Only public data leaves: the caller passes public offers; contact persons appear only while
they are public contacts of the offer's organisation, with the fields `Person.public_contact()`
returns and nothing else (quartier.directory.selectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet

from quartier.api.hsds import ids, kept
from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.terms import Terms
from quartier.directory.models import Organisation
from quartier.directory.selectors import is_public_contact
from quartier.offers.models import (
    Cost,
    Location,
    Offer,
    OfferLocation,
    OfferStatus,
    Schedule,
    ScheduleKind,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)

Row = dict[str, Any]
Tables = dict[str, list[Row]]

TABLES = (
    "organizations",
    "services",
    "locations",
    "addresses",
    "accessibility",
    "service_at_locations",
    "schedules",
    "phones",
    "contacts",
    "languages",
    "service_areas",
    "cost_options",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
    # Tables Quartier has no records for: what an import kept (quartier.api.hsds.kept).
    "programs",
    "funding",
    "required_documents",
    "organization_identifiers",
    "metadata",
    "meta_table_descriptions",
)
STATUS_TO_HSDS = {
    OfferStatus.ACTIVE: "active",
    OfferStatus.PAUSED: "temporarily closed",
    OfferStatus.ENDED: "inactive",
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Required HSDS fields that may be empty strings (the schema asks for the key, not content).
REQUIRED_EMPTY = {
    "organizations": ("description",),
    "taxonomies": ("description",),
    "taxonomy_terms": ("description",),
}


def row(table: str, **values: Any) -> Row:
    """A row without empty values, but with the required keys HSDS asks for."""
    result = {key: value for key, value in values.items() if value not in (None, "", [])}
    for key in REQUIRED_EMPTY.get(table, ()):
        result.setdefault(key, "")
    return result


def organisation_ids(pks: Iterable[int]) -> dict[int, str]:
    pks = set(pks)
    mapped = dict(
        ExternalId.objects.filter(kind=ExternalId.Kind.ORGANIZATION, object_id__in=pks).values_list(
            "object_id", "hsds_id"
        )
    )
    return {pk: str(mapped[pk]) if pk in mapped else ids.organisation_default(pk) for pk in pks}


def organisation_row(org: Organisation, hsds_id: str, parent_id: str | None) -> Row:
    return row(
        "organizations",
        id=hsds_id,
        name=org.name,
        description=org.description,
        email=org.email,
        website=org.website,
        parent_organization_id=parent_id,
    )


def service_row(offer: Offer, organization_id: str) -> Row:
    return row(
        "services",
        id=str(offer.id),
        organization_id=organization_id,
        name=offer.name,
        alternate_name=offer.alternate_name,
        description=offer.description,
        url=offer.url,
        email=offer.email,
        status=STATUS_TO_HSDS[offer.status],
        application_process=offer.application_process,
        fees_description=offer.fees_description,
        minimum_age=offer.min_age,
        maximum_age=offer.max_age,
        assured_date=offer.last_verified.isoformat() if offer.last_verified else None,
        last_modified=hsds_datetime(offer.updated_at),
    )


def hsds_datetime(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def build_tables(
    offers: QuerySet[Offer], *, taxonomies: bool = True, terms: Callable[[], Terms] | None = None
) -> Tables:
    """All HSDS rows for the given offers (a bounded number of queries, whatever their count).

    `terms` loads the term hierarchy, if an offer has topics; callers building several tables
    pass a cached loader (`functools.cache(Terms.load)`) to read it once.
    """
    tables: Tables = {name: [] for name in TABLES}
    offer_list = list(offers.select_related("organisation").order_by("id"))
    offer_pks = offers.values("pk")
    links = list(OfferLocation.objects.filter(offer__in=offer_pks).select_related("location"))
    schedules = list(Schedule.objects.filter(offer__in=offer_pks))
    locations = {link.location_id: link.location for link in links}
    extra_ids = {s.location_id for s in schedules if s.location_id} - set(locations)
    locations.update(Location.objects.in_bulk(extra_ids))

    org_pks = {o.organisation_id for o in offer_list}
    org_pks |= {loc.organisation_id for loc in locations.values() if loc.organisation_id}
    org_map = organisation_ids(org_pks)
    _add_organisations(tables, org_map)
    for offer in offer_list:
        tables["services"].append(service_row(offer, org_map[offer.organisation_id]))
        _add_offer_fields(tables, offer)
    _add_locations(tables, locations.values(), org_map)
    for link in links:
        tables["service_at_locations"].append(
            row(
                "service_at_locations",
                id=str(link.id),
                service_id=str(link.offer_id),
                location_id=str(link.location_id),
                description=link.description,
            )
        )
    _add_schedules(tables, schedules)
    _add_relations(tables, offer_pks, terms)
    _add_contacts(tables, offer_pks)
    used = None if taxonomies else {a["taxonomy_term_id"] for a in tables["attributes"]}
    _add_taxonomies(tables, used)
    # What an import read beyond our records (one query per 500 offers, organisations and
    # locations): the imported ids, the kept fields and rows.
    kept.apply(tables, every=taxonomies, required=REQUIRED_EMPTY)
    for name in TABLES:
        tables[name].sort(key=lambda r: r["id"])
    return tables


def _add_organisations(tables: Tables, org_map: dict[int, str]) -> None:
    for org in Organisation.objects.filter(pk__in=org_map):
        parent = org_map.get(org.parent_id) if org.parent_id else None
        tables["organizations"].append(organisation_row(org, org_map[org.pk], parent))
        if org.phone:
            tables["phones"].append(
                row(
                    "phones",
                    id=ids.derived(org_map[org.pk], "phone"),
                    organization_id=org_map[org.pk],
                    number=org.phone,
                )
            )


def _add_offer_fields(tables: Tables, offer: Offer) -> None:
    sid = str(offer.id)
    if offer.phone:
        tables["phones"].append(
            row("phones", id=ids.derived(sid, "phone"), service_id=sid, number=offer.phone)
        )
    option = Cost(offer.cost).value
    tables["cost_options"].append(
        row("cost_options", id=ids.derived(sid, "cost"), service_id=sid, option=option)
    )
    for code, field in ids.ACCESS_CODES.items():
        if getattr(offer, field):
            _attribute(tables, sid, "service", code)
    if offer.easy_language_description:
        _attribute(tables, sid, "service", ids.EASY_LANGUAGE, value=offer.easy_language_description)


def _attribute(
    tables: Tables, link_id: str, entity: str, code: str = "", *, term_id: str = "", value: str = ""
) -> None:
    term_id = term_id or ids.extension_term_id(code)
    tables["attributes"].append(
        row(
            "attributes",
            id=ids.derived(link_id, f"attribute:{term_id}"),
            link_id=link_id,
            link_type="extension" if code else "topic",
            link_entity=entity,
            taxonomy_term_id=term_id,
            value=value,
        )
    )


def _add_locations(tables: Tables, locations: Iterable[Location], org_map: dict) -> None:
    for loc in locations:
        lid = str(loc.id)
        tables["locations"].append(
            row(
                "locations",
                id=lid,
                location_type="physical",
                organization_id=org_map.get(loc.organisation_id),
                name=loc.name,
                transportation=loc.transport,
                latitude=loc.lat,
                longitude=loc.lon,
            )
        )
        if loc.street or loc.city or loc.postcode:
            tables["addresses"].append(
                row(
                    "addresses",
                    id=ids.derived(lid, "address"),
                    location_id=lid,
                    address_1=loc.street,
                    city=loc.city,
                    postal_code=loc.postcode,
                    country="DE",
                    address_type="physical",
                )
                | {
                    "state_province": "",
                    "address_1": loc.street,
                    "city": loc.city,
                    "postal_code": loc.postcode,
                }
            )
        if loc.accessibility:
            tables["accessibility"].append(
                row(
                    "accessibility",
                    id=ids.derived(lid, "accessibility"),
                    location_id=lid,
                    description=loc.accessibility,
                )
            )
        if loc.wheelchair_accessible:
            _attribute(tables, lid, "location", ids.WHEELCHAIR)


def _add_schedules(tables: Tables, schedules: list[Schedule]) -> None:
    for s in schedules:
        sid = str(s.id)
        weekly = s.kind == ScheduleKind.WEEKLY
        tables["schedules"].append(
            row(
                "schedules",
                id=sid,
                service_id=str(s.offer_id),
                location_id=str(s.location_id) if s.location_id else None,
                valid_from=s.valid_from.isoformat() if s.valid_from else None,
                valid_to=s.valid_to.isoformat() if s.valid_to else None,
                dtstart=s.valid_from.isoformat() if s.kind == ScheduleKind.DATE else None,
                count=1 if s.kind == ScheduleKind.DATE else None,
                freq="WEEKLY" if weekly else None,
                byday=WEEKDAYS[s.weekday] if weekly and s.weekday is not None else None,
                opens_at=s.opens_at.isoformat() if s.opens_at else None,
                closes_at=s.closes_at.isoformat() if s.closes_at else None,
                description=s.description,
                timezone=None,
            )
        )
        if s.kind == ScheduleKind.CLOSED:
            _attribute(tables, sid, "schedule", ids.CLOSED)


def _add_relations(
    tables: Tables, offer_pks: QuerySet, load_terms: Callable[[], Terms] | None
) -> None:
    topics = Offer.topics.through.objects.filter(offer__in=offer_pks)
    by_offer: dict[Any, set] = {}
    for offer_id, term_id in topics.values_list("offer_id", "taxonomyterm_id"):
        _attribute(tables, str(offer_id), "service", term_id=str(term_id))
        by_offer.setdefault(offer_id, set()).add(term_id)
    # The exchange terms our topics are mapped onto travel like topics (see .terms); an import
    # drops them again where its own mapping implies them.
    hierarchy = (load_terms or Terms.load)() if by_offer else Terms()
    for offer_id, terms in by_offer.items():
        for term_id in sorted(hierarchy.mapped(terms), key=str):
            _attribute(tables, str(offer_id), "service", term_id=str(term_id))
    groups = Offer.target_groups.through.objects.filter(offer__in=offer_pks)
    for offer_id, slug in groups.values_list("offer_id", "targetgroup__slug"):
        _attribute(tables, str(offer_id), "service", ids.TARGET_GROUP_PREFIX + slug)
    languages = Offer.languages.through.objects.filter(offer__in=offer_pks)
    for offer_id, code, name in languages.values_list(
        "offer_id", "language__code", "language__name"
    ):
        tables["languages"].append(
            row(
                "languages",
                id=ids.derived(offer_id, f"language:{code}"),
                service_id=str(offer_id),
                name=name,
                code=code,
            )
        )
    areas = Offer.areas.through.objects.filter(offer__in=offer_pks, area__is_public=True)
    for offer_id, slug, name in areas.values_list("offer_id", "area__slug", "area__name"):
        tables["service_areas"].append(
            row(
                "service_areas",
                id=ids.derived(offer_id, f"area:{slug}"),
                service_id=str(offer_id),
                name=name,
                uri=area_uri(slug),
            )
        )


def area_uri(slug: str) -> str:
    return f"{settings.SITE_URL}/gebiete/{slug}/"


def _add_contacts(tables: Tables, offer_pks: QuerySet) -> None:
    # Only the offer's organisation's public contacts, as on the offer page (the one rule:
    # quartier.directory.selectors); an internal or ended position names nobody.
    links = list(
        Offer.contacts.through.objects.filter(offer__in=offer_pks)
        .filter(
            is_public_contact(
                person=OuterRef("person_id"), organisation=OuterRef("offer__organisation_id")
            )
        )
        .select_related("person")
    )
    mapped = {
        (object_id, str(scope)): str(hsds_id)
        for object_id, scope, hsds_id in ExternalId.objects.filter(
            kind=ExternalId.Kind.CONTACT, object_id__in={link.person_id for link in links}
        ).values_list("object_id", "scope", "hsds_id")
    }
    for link in links:
        person, offer_id = link.person, str(link.offer_id)
        public = person.public_contact()  # never the internal fields
        cid = mapped.get((person.pk, offer_id)) or ids.contact_default(person.pk, offer_id)
        tables["contacts"].append(
            row(
                "contacts",
                id=cid,
                service_id=offer_id,
                name=person.full_name,
                email=public.get("email"),
            )
        )
        for kind in ("phone", "mobile"):
            if public.get(kind):
                tables["phones"].append(
                    row(
                        "phones",
                        id=ids.derived(cid, kind),
                        contact_id=cid,
                        number=public[kind],
                        type="cell" if kind == "mobile" else "voice",
                    )
                )


def _add_taxonomies(tables: Tables, used: set[str] | None) -> None:
    """All taxonomies and terms, or (used given) only the terms the attributes name."""
    terms = (
        TaxonomyTerm.objects.all()
        if used is None
        else TaxonomyTerm.objects.filter(id__in=[i for i in used if ids.parse_uuid(i)])
    )
    taxonomy_rows = Taxonomy.objects.all()
    if used is not None:
        terms = list(terms)
        taxonomy_rows = taxonomy_rows.filter(id__in={t.taxonomy_id for t in terms})
    for tax in taxonomy_rows:
        tables["taxonomies"].append(
            row(
                "taxonomies",
                id=str(tax.id),
                name=tax.name,
                description=tax.description,
                uri=tax.uri,
                version=tax.version,
            )
        )
    for term in terms:
        tables["taxonomy_terms"].append(term_row(term))
    tables["taxonomies"].append(extension_taxonomy_row())
    for term in extension_term_rows():
        if used is None or term["id"] in used:
            tables["taxonomy_terms"].append(term)


def extension_taxonomy_row() -> Row:
    """Quartier's extension vocabulary (see ids.EXTENSION_TAXONOMY_ID) as a taxonomy."""
    return row(
        "taxonomies",
        id=str(ids.EXTENSION_TAXONOMY_ID),
        name="Quartier",
        description="Quartier extension terms: target groups, access, accessibility.",
    )


def extension_term_rows() -> list[Row]:
    """The extension vocabulary's terms: a term per target group and the fixed codes."""
    codes = [
        (ids.TARGET_GROUP_PREFIX + slug, name)
        for slug, name in TargetGroup.objects.order_by("position", "slug").values_list(
            "slug", "name"
        )
    ]
    codes += [
        (code, code) for code in (*ids.ACCESS_CODES, ids.EASY_LANGUAGE, ids.WHEELCHAIR, ids.CLOSED)
    ]
    return [
        row(
            "taxonomy_terms",
            id=ids.extension_term_id(code),
            code=code,
            name=name,
            taxonomy_id=str(ids.EXTENSION_TAXONOMY_ID),
        )
        for code, name in codes
    ]


def term_row(term: TaxonomyTerm) -> Row:
    return row(
        "taxonomy_terms",
        id=str(term.id),
        code=term.code,
        name=term.name,
        description=term.description,
        parent_id=str(term.parent_id) if term.parent_id else None,
        taxonomy_id=str(term.taxonomy_id),
        term_uri=term.term_uri,
        language="de",
    )
