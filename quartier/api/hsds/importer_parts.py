"""The import's steps for taxonomies, organisations, schedules, relations and contacts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.api.hsds import fastsql, ids
from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.terms import Terms
from quartier.api.hsds.validate import Report, Row, Tables
from quartier.areas.models import Area
from quartier.core.text import german_slug
from quartier.directory.models import Organisation, Person, Position
from quartier.offers.models import (
    Language,
    Offer,
    Schedule,
    ScheduleKind,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)


@dataclass
class Context:
    tables: Tables
    report: Report
    publish: bool
    org_pks: dict[str, int] = field(default_factory=dict)
    # What the steps made of the rows, for the round trip (quartier.api.hsds.kept.plan).
    made: dict[str, Any] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict)

    def first_by(self, table: str, fld: str) -> dict[str, Row]:
        key = ("first", table, fld)
        if key not in self._cache:
            found: dict[str, Row] = {}
            for r in self.tables.get(table, []):
                if r.get(fld):
                    found.setdefault(r[fld], r)
            self._cache[key] = found
        return self._cache[key]

    def attributes_of(self, term_id: str) -> list[Row]:
        if "by_term" not in self._cache:
            grouped = defaultdict(list)
            for r in self.tables.get("attributes", []):
                grouped[r["taxonomy_term_id"]].append(r)
            self._cache["by_term"] = grouped
        return self._cache["by_term"].get(term_id, [])

    def attribute_links(self, code: str) -> set[str]:
        return {r["link_id"] for r in self.attributes_of(ids.extension_term_id(code))}

    def attribute_values(self, code: str) -> dict[str, str]:
        return {r["link_id"]: r["value"] for r in self.attributes_of(ids.extension_term_id(code))}

    def offer_ids(self) -> list[uuid.UUID]:
        if "offer_ids" not in self._cache:
            self._cache["offer_ids"] = [uuid.UUID(r["id"]) for r in self.tables.get("services", [])]
        return self._cache["offer_ids"]

    def earlier_offer_ids(self) -> list[uuid.UUID]:
        """The imported offers that the database held before: only they have schedules, links
        and relations to replace (asked once, before the offers are written)."""
        if "earlier" not in self._cache:
            self._cache["earlier"] = sorted(fastsql.existing(Offer, self.offer_ids()))
        return self._cache["earlier"]


def write_taxonomies(ctx: Context) -> None:
    extension = str(ids.EXTENSION_TAXONOMY_ID)
    taxonomies = [r for r in ctx.tables.get("taxonomies", []) if r["id"] != extension]
    existing = set(
        Taxonomy.objects.filter(pk__in=[r["id"] for r in taxonomies]).values_list("pk", flat=True)
    )
    objs = [
        Taxonomy(
            id=uuid.UUID(r["id"]),
            name=r["name"],
            description=r["description"],
            uri=r["uri"],
            version=r["version"],
            slug=f"{german_slug(r['name'])[:40] or 'hsds'}-{r['id'][:8]}",
        )
        for r in taxonomies
    ]
    # Terms whose taxonomy is neither in the import nor in the database (a warning of
    # check_references): their taxonomy is made from the id alone, so the terms are kept.
    given = {o.id for o in objs} | existing
    referenced = {
        uuid.UUID(r["taxonomy_id"])
        for r in ctx.tables.get("taxonomy_terms", [])
        if r.get("taxonomy_id") and r["taxonomy_id"] != extension
    }
    unknown = referenced - given
    if unknown:
        unknown -= set(Taxonomy.objects.filter(pk__in=unknown).values_list("pk", flat=True))
    objs_new = [o for o in objs if o.id not in existing] + [
        Taxonomy(id=pk, name=str(pk), slug=f"hsds-{str(pk)[:8]}") for pk in sorted(unknown)
    ]
    Taxonomy.objects.bulk_create(objs_new)
    Taxonomy.objects.bulk_update(
        [o for o in objs if o.id in existing], ["name", "description", "uri", "version"]
    )
    terms, groups = [], []
    for r in ctx.tables.get("taxonomy_terms", []):
        if r.get("taxonomy_id") == extension:
            if r["code"].startswith(ids.TARGET_GROUP_PREFIX):
                groups.append(r)
            continue
        terms.append(
            TaxonomyTerm(
                id=uuid.UUID(r["id"]),
                taxonomy_id=uuid.UUID(r["taxonomy_id"]),
                code=r["code"] or r["id"][:60],
                name=r["name"],
                description=r["description"],
                parent_id=uuid.UUID(r["parent_id"]) if r.get("parent_id") else None,
                term_uri=r["term_uri"],
            )
        )
    TaxonomyTerm.objects.bulk_create(
        terms,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["taxonomy", "code", "name", "description", "parent", "term_uri"],
    )
    for r in groups:
        slug = r["code"][len(ids.TARGET_GROUP_PREFIX) :][:60]
        TargetGroup.objects.update_or_create(slug=slug, defaults={"name": r["name"]})
    ctx.report.counts["taxonomy_terms"] = len(terms)


def write_organisations(ctx: Context) -> None:
    rows = ctx.tables.get("organizations", [])
    mapped = dict(
        ExternalId.objects.filter(
            kind=ExternalId.Kind.ORGANIZATION, hsds_id__in=[r["id"] for r in rows]
        ).values_list("hsds_id", "object_id")
    )
    ctx.org_pks = {str(k): v for k, v in mapped.items()}
    for r in rows:
        encoded = ids.organisation_pk(r["id"])
        if (
            r["id"] not in ctx.org_pks
            and encoded
            and Organisation.objects.filter(pk=encoded).exists()
        ):
            ctx.org_pks[r["id"]] = encoded
    phones = ctx.first_by("phones", "organization_id")
    existing = Organisation.objects.in_bulk(
        [ctx.org_pks[r["id"]] for r in rows if r["id"] in ctx.org_pks]
    )
    new, changed = [], []
    for r in rows:
        org = existing.get(ctx.org_pks.get(r["id"])) or Organisation(
            slug=f"{german_slug(r['name'])[:200] or 'organisation'}-{r['id'][:8]}"
        )
        org.name, org.description = r["name"], r["description"]
        org.email, org.website = r["email"], r["website"]
        org.phone = (phones.get(r["id"]) or {}).get("number", "")
        (changed if org.pk else new).append((r, org))
    # executemany, then the keys by slug (unique): bulk_create costs five times as much.
    fastsql.insert_rows(Organisation, fastsql.instance_rows([org for _r, org in new]))
    slugs = [org.slug for _r, org in new]
    keys = {}
    for start in range(0, len(slugs), 500):
        found = Organisation.objects.filter(slug__in=slugs[start : start + 500])
        keys.update(found.values_list("slug", "pk"))
    for _r, org in new:
        org.pk = keys[org.slug]
        org._state.adding = False
    fastsql.insert_rows(
        ExternalId,
        [
            {
                "kind": ExternalId.Kind.ORGANIZATION,
                "hsds_id": r["id"],
                "object_id": org.pk,
                "scope": None,
            }
            for r, org in new
        ],
    )
    ctx.org_pks.update({r["id"]: org.pk for r, org in new})
    for r, org in new + changed:
        parent = r.get("parent_organization_id")
        org.parent_id = ctx.org_pks.get(parent) if parent else None
    # New organisations only lack their parent (unknown before all of them were created).
    Organisation.objects.bulk_update([org for _r, org in new if org.parent_id], ["parent"])
    Organisation.objects.bulk_update(
        [org for _r, org in changed],
        ["name", "description", "email", "website", "phone", "parent"],
        batch_size=500,
    )
    ctx.report.counts["organizations"] = len(rows)


def _schedule(r: Row, offer_id: str, location_id: str | None, closed: bool) -> list[dict]:
    base = {
        "id": r["id"],
        "offer_id": offer_id,
        "location_id": location_id,
        "kind": ScheduleKind.DATE,
        "weekday": None,
        "opens_at": r["opens_at"],
        "closes_at": r["closes_at"],
        "valid_from": r["valid_from"],
        "valid_to": None,
        "description": r["description"],
    }
    if closed:
        start = r["valid_from"] or r["dtstart"]
        return (
            [
                {
                    **base,
                    "kind": ScheduleKind.CLOSED,
                    "valid_from": start,
                    "valid_to": r["valid_to"],
                    "opens_at": None,
                    "closes_at": None,
                }
            ]
            if start
            else []
        )
    if r["freq"].upper() == "WEEKLY" and r["byday"]:
        days = r["byday"]
        return [
            {
                **base,
                "id": r["id"] if len(days) == 1 else ids.derived(r["id"], day),
                "kind": ScheduleKind.WEEKLY,
                "weekday": day,
                "valid_to": r["valid_to"],
            }
            for day in days
        ]
    start = r["dtstart"] or r["valid_from"]
    if start and not r["freq"]:
        return [{**base, "valid_from": start}]
    return []


def write_schedules(ctx: Context) -> None:
    fastsql.delete_where_in(Schedule, "offer_id", ctx.earlier_offer_ids())
    sal = {r["id"]: r for r in ctx.tables.get("service_at_locations", [])}
    closed = ctx.attribute_links(ids.CLOSED)
    rows = []
    for r in ctx.tables.get("schedules", []):
        via = sal.get(r.get("service_at_location_id") or "", {})
        offer_id = r.get("service_id") or via.get("service_id")
        location_id = r.get("location_id") or via.get("location_id")
        made = _schedule(r, offer_id, location_id, r["id"] in closed) if offer_id else []
        ctx.made.setdefault("schedules", {})[id(r)] = made
        if made and made[0]["kind"] == ScheduleKind.CLOSED:
            ctx.made.setdefault("closed", set()).add(r["id"])
        if not made:
            ctx.report.add(
                r,
                "service_id" if not offer_id else "freq",
                _(
                    "Skipped: only weekly hours (freq WEEKLY with byday), single "
                    "dates and closures of a service can be stored."
                ),
                "warning",
            )
        rows.extend(made)
    fastsql.insert_rows(Schedule, rows)
    ctx.report.counts["schedules"] = len(rows)


def write_relations(ctx: Context) -> None:
    offer_ids = ctx.earlier_offer_ids()
    services = {r["id"] for r in ctx.tables.get("services", [])}
    extension = str(ids.EXTENSION_TAXONOMY_ID)
    term_rows = {r["id"]: r for r in ctx.tables.get("taxonomy_terms", [])}
    groups = dict(TargetGroup.objects.values_list("slug", "pk"))
    ctx.made["groups"] = set(groups)
    topics, targets = set(), set()
    for r in ctx.tables.get("attributes", []):
        if r["link_id"] not in services:
            continue
        term = term_rows.get(r["taxonomy_term_id"])
        if term and term.get("taxonomy_id") == extension:
            slug = term["code"][len(ids.TARGET_GROUP_PREFIX) :]
            if term["code"].startswith(ids.TARGET_GROUP_PREFIX) and slug in groups:
                targets.add((r["link_id"], groups[slug]))
        else:
            topics.add((r["link_id"], r["taxonomy_term_id"]))
    _replace(Offer.topics.through, offer_ids, "taxonomyterm_id", _unmapped(topics))
    _replace(Offer.target_groups.through, offer_ids, "targetgroup_id", targets)
    _replace(Offer.languages.through, offer_ids, "language_id", _languages(ctx, services))
    _replace(Offer.areas.through, offer_ids, "area_id", _areas(ctx))


def _unmapped(topics: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The topic links less those our term mapping implies from a service's other topics (the
    export adds them, see .terms): a round trip does not turn them into topics of their own.
    A term that is itself mapped onto others stays."""
    hierarchy = Terms.load()
    if not hierarchy.targets:
        return topics
    sources = {str(term) for term in hierarchy.targets}
    by_term: dict[str, set[str]] = {}  # a few hundred terms, however many offers
    by_service: dict[str, set[str]] = defaultdict(set)
    for service, term in topics:
        by_service[service].add(term)
        if term not in by_term:
            by_term[term] = {str(t) for t in hierarchy.implied([uuid.UUID(term)])}
    implied = {
        service: set().union(*(by_term[term] for term in terms))
        for service, terms in by_service.items()
    }
    return {
        (service, term)
        for service, term in topics
        if term not in implied[service] or term in sources
    }


def _replace(through: type[Model], earlier_offer_ids: list, fld: str, pairs: set) -> None:
    fastsql.delete_where_in(through, "offer_id", earlier_offer_ids)
    fastsql.insert_rows(through, [{"offer_id": str(o), fld: v} for o, v in pairs])


def _languages(ctx: Context, services: set[str]) -> set:
    rows = [r for r in ctx.tables.get("languages", []) if r.get("service_id") in services]
    codes = {
        (r["code"] or r["name"][:12]).lower(): r["name"] for r in rows if r["code"] or r["name"]
    }
    known = dict(Language.objects.filter(code__in=codes).values_list("code", "pk"))
    Language.objects.bulk_create(
        [Language(code=c, name=n or c) for c, n in codes.items() if c not in known]
    )
    known = dict(Language.objects.filter(code__in=codes).values_list("code", "pk"))
    return {
        (r["service_id"], known[(r["code"] or r["name"][:12]).lower()])
        for r in rows
        if r["code"] or r["name"]
    }


def _areas(ctx: Context) -> set:
    areas = {slug: pk for slug, pk in Area.objects.values_list("slug", "pk")}
    names = {name: pk for name, pk in Area.objects.values_list("name", "pk")}
    public = dict(Area.objects.filter(is_public=True).values_list("pk", "slug"))
    pairs = set()
    for r in ctx.tables.get("service_areas", []):
        if not r.get("service_id"):
            continue
        slug = r["uri"].rstrip("/").rsplit("/", 1)[-1] if r["uri"] else ""
        pk = areas.get(slug) or names.get(r["name"])
        if pk:
            pairs.add((r["service_id"], pk))
            if pk in public:  # the export names public areas only
                r["_area_slug"] = public[pk]
        else:
            ctx.report.add(r, "uri", _("No area of ours matches; the link was skipped."), "warning")
    return pairs


CONTACT_BATCH = 500
CONTACT_FIELDS = [
    "given_name",
    "family_name",
    "email",
    "email_public",
    "phone",
    "mobile",
    "phone_public",
    "mobile_public",
]


def _save_people(new: list[dict[str, Any]], changed: list[dict[str, Any]]) -> None:
    """Write contact persons (rows by attname) in batches, with the history records that
    save() would leave: a few queries per thousand people, not three per person (see
    bench/hsds_import.py --contacts). New rows get their keys."""
    now = timezone.now()
    for person in new + changed:
        person["updated_at"] = now
    if new:
        if connections[Person.objects.db].features.can_return_rows_from_bulk_insert:
            keys = fastsql.insert_returning_keys(Person, [_without_key(p) for p in new])
        else:
            made = Person.objects.bulk_create([Person(**_without_key(p)) for p in new])
            keys = [person.pk for person in made]
        for person, key in zip(new, keys, strict=True):
            person["id"] = key
    fastsql.insert_rows(Person, changed, update=[*CONTACT_FIELDS, "updated_at"])
    history = Person.history.model
    fastsql.insert_rows(
        history,
        [
            {
                **person,
                "history_date": now,
                "history_change_reason": None,
                "history_type": kind,
                "history_user_id": None,
            }
            for kind, people in (("+", new), ("~", changed))
            for person in people
        ],
    )


def _without_key(person: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in person.items() if k != "id"}


def write_contacts(ctx: Context) -> None:
    """Contacts of services become contact persons with public contact fields."""
    rows = [r for r in ctx.tables.get("contacts", []) if r.get("service_id")]
    for r in ctx.tables.get("contacts", []):
        if not r.get("service_id"):
            ctx.report.add(
                r, "service_id", _("Skipped: only contacts of a service are imported."), "warning"
            )
    mapped = {}
    for start in range(0, len(rows), 500):  # SQLite allows only so many parameters a query
        mapped.update(
            ExternalId.objects.filter(
                kind=ExternalId.Kind.CONTACT,
                hsds_id__in=[r["id"] for r in rows[start : start + 500]],
            ).values_list("hsds_id", "object_id")
        )
    mapped = {str(k): v for k, v in mapped.items()}
    columns = [f.attname for f in Person._meta.concrete_fields]
    people = {
        p.pk: {c: getattr(p, c) for c in columns}
        for p in Person.objects.in_bulk(mapped.values()).values()
    }
    blank = {f.attname: f.get_default() for f in Person._meta.concrete_fields if not f.primary_key}
    blank["created_at"] = timezone.now()
    phones = defaultdict(dict)
    for p in ctx.tables.get("phones", []):
        if p.get("contact_id"):
            kind = "mobile" if (p.get("type") or "") == "cell" else "phone"
            phones[p["contact_id"]].setdefault(kind, p["number"])
    new, changed = [], []
    for r in rows:
        found = people.get(mapped.get(r["id"]))
        person = found or {**blank, "id": None}
        given, _sep, family = (r["name"] or _("Contact")).rpartition(" ")
        phone = phones[r["id"]].get("phone", "")
        mobile = phones[r["id"]].get("mobile", "")
        person.update(
            given_name=given[:100],
            family_name=family[:100],
            email=r["email"],
            email_public=bool(r["email"]),
            phone=phone,
            mobile=mobile,
            phone_public=bool(phone),
            mobile_public=bool(mobile),
        )
        (changed if found else new).append((r, person))
    _save_people([p for _r, p in new], [p for _r, p in changed])
    fastsql.insert_rows(
        ExternalId,
        [
            {
                "kind": ExternalId.Kind.CONTACT,
                "hsds_id": r["id"],
                "object_id": person["id"],
                "scope": r["service_id"],
            }
            for r, person in new
        ],
    )
    links = [(r["service_id"], person["id"]) for r, person in new + changed]
    ctx.made["contacts"] = {r["id"] for r, _person in new + changed}
    _replace(Offer.contacts.through, ctx.earlier_offer_ids(), "person_id", set(links))
    _make_public_contacts(links)
    ctx.report.counts["contacts"] = len(rows)


def _make_public_contacts(links: list[tuple[str, int]]) -> None:
    """A service's contact is public in HSDS: give each imported person a public position at
    the offer's organisation, which is what makes a public contact here (the rule of
    quartier.directory.selectors), so that the person is shown again as exported."""
    organisations: dict[str, int] = {}
    wanted: set[tuple[int, int]] = set()
    for start in range(0, len(links), 500):  # SQLite allows only so many parameters a query
        chunk = links[start : start + 500]
        organisations.update(
            (str(pk), org)
            for pk, org in Offer.objects.filter(pk__in={sid for sid, _p in chunk}).values_list(
                "pk", "organisation_id"
            )
        )
        wanted |= {(person, organisations[sid]) for sid, person in chunk if sid in organisations}
    existing: set[tuple[int, int]] = set()
    people = sorted({person for person, _org in wanted})
    for start in range(0, len(people), 500):
        existing |= set(
            Position.objects.filter(
                person_id__in=people[start : start + 500], end_date__isnull=True
            ).values_list("person_id", "organisation_id")
        )
    Position.objects.bulk_create(
        [
            Position(person_id=person, organisation_id=org, role=_("Contact"), is_public=True)
            for person, org in sorted(wanted - existing)
        ],
        batch_size=500,
    )
