"""HSDS tables → the nested JSON objects of the compiled schemas (service, organization, ...)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from quartier.api.hsds.export import Row, Tables
from quartier.api.hsds.kept import COLUMNS

SERVICE_LIST_FIELDS = tuple(COLUMNS["services"])


class Index:
    """Rows of the tables by id and by the id they point to."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.by_id: dict[str, dict[str, Row]] = {
            name: {r["id"]: r for r in rows} for name, rows in tables.items()
        }
        self._by_ref: dict[tuple[str, str], dict[str, list[Row]]] = {}

    def children(self, table: str, field: str, value: str) -> list[Row]:
        key = (table, field)
        if key not in self._by_ref:
            grouped: dict[str, list[Row]] = defaultdict(list)
            for r in self.tables.get(table, []):
                if field in r:
                    grouped[r[field]].append(r)
            self._by_ref[key] = grouped
        return self._by_ref[key].get(value, [])

    def term(self, term_id: str) -> Row | None:
        return self.by_id.get("taxonomy_terms", {}).get(term_id)

    def attributes(self, link_id: str) -> list[Row]:
        result = []
        for attr in self.children("attributes", "link_id", link_id):
            term = self.term(attr["taxonomy_term_id"])
            result.append({**attr, "taxonomy_term": term} if term else dict(attr))
        return result

    def extras(self, row: Row, **lists: list) -> dict[str, Any]:
        """The row with its nested lists, and its attributes and metadata where it has any
        (an import's kept rows, quartier.api.hsds.kept): empty lists are left out."""
        result = dict(row)
        result.update({key: value for key, value in lists.items() if value})
        attributes = self.attributes(row["id"])
        if attributes:
            result["attributes"] = attributes
        metadata = self.children("metadata", "resource_id", row["id"])
        if metadata:
            result["metadata"] = metadata
        return result

    def plain(self, table: str, field: str, value: str) -> list[dict[str, Any]]:
        """Child rows that nest nothing but their attributes and metadata."""
        return [self.extras(r) for r in self.children(table, field, value)]

    def phones(self, field: str, value: str) -> list[dict[str, Any]]:
        return [
            self.extras(p, languages=self.plain("languages", "phone_id", p["id"]))
            for p in self.children("phones", field, value)
        ]

    def contacts(self, field: str, value: str) -> list[dict[str, Any]]:
        return [
            self.extras(c, phones=self.phones("contact_id", c["id"]))
            for c in self.children("contacts", field, value)
            if field == "service_id" or not c.get("service_id")
        ]


def organization_brief(index: Index, org_id: str | None) -> dict[str, Any] | None:
    org = index.by_id["organizations"].get(org_id or "")
    return dict(org) if org else None


def service_brief(index: Index, service: Row) -> dict[str, Any]:
    """A service_list item: the one-to-one fields, the organization and the program."""
    result = {key: service[key] for key in SERVICE_LIST_FIELDS if key in service}
    org = organization_brief(index, service.get("organization_id"))
    if org:
        result["organization"] = org
    program = index.by_id.get("programs", {}).get(service.get("program_id") or "")
    if program:
        result["program"] = index.extras(program)
    return result


def location_full(index: Index, location: Row) -> dict[str, Any]:
    lid = location["id"]
    return {
        "addresses": index.plain("addresses", "location_id", lid),
        "accessibility": index.plain("accessibility", "location_id", lid),
        "attributes": index.attributes(lid),
        **index.extras(
            location,
            languages=index.plain("languages", "location_id", lid),
            phones=index.phones("location_id", lid),
            contacts=index.contacts("location_id", lid),
            schedules=[
                index.extras(r)
                for r in index.children("schedules", "location_id", lid)
                if not r.get("service_id") and not r.get("service_at_location_id")
            ],
        ),
    }


def schedule_full(index: Index, schedule: Row) -> dict[str, Any]:
    return index.extras(schedule)


def contact_full(index: Index, contact: Row) -> dict[str, Any]:
    return {"phones": index.phones("contact_id", contact["id"]), **index.extras(contact)}


def service_at_location_full(index: Index, sal: Row) -> dict[str, Any]:
    sid = sal["id"]
    result = index.extras(
        sal,
        phones=index.phones("service_at_location_id", sid),
        contacts=index.contacts("service_at_location_id", sid),
        schedules=index.plain("schedules", "service_at_location_id", sid),
    )
    location = index.by_id["locations"].get(sal.get("location_id", ""))
    if location:
        result["location"] = location_full(index, location)
    return result


LOCATION_LIST_FIELDS = (
    "id",
    "location_type",
    "url",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "transportation",
    "latitude",
    "longitude",
)


def service_at_location_brief(index: Index, sal: Row) -> dict[str, Any]:
    """A service_at_location_list item: one-to-one fields, the location's and the service's."""
    result = dict(sal)
    location = index.by_id["locations"].get(sal.get("location_id", ""))
    if location:
        result["location"] = {k: location[k] for k in LOCATION_LIST_FIELDS if k in location}
    service = index.by_id["services"].get(sal.get("service_id", ""))
    if service:
        result["service"] = service_brief(index, service)
    return result


def service_at_location_nested(index: Index, sal: Row) -> dict[str, Any]:
    """A service_at_location fully nested: its location's and its service's details."""
    result = service_at_location_full(index, sal)
    service = index.by_id["services"].get(sal.get("service_id", ""))
    if service:
        result["service"] = service_full(index, service)
    return result


def service_full(index: Index, service: Row) -> dict[str, Any]:
    sid = service["id"]
    result = service_brief(index, service)
    result.update(
        {
            "phones": index.phones("service_id", sid),
            "schedules": [
                schedule_full(index, s) for s in index.children("schedules", "service_id", sid)
            ],
            "service_areas": index.plain("service_areas", "service_id", sid),
            "service_at_locations": [
                service_at_location_full(index, sal)
                for sal in index.children("service_at_locations", "service_id", sid)
            ],
            "languages": index.plain("languages", "service_id", sid),
            "cost_options": index.plain("cost_options", "service_id", sid),
            "contacts": index.contacts("service_id", sid),
            "attributes": index.attributes(sid),
        }
    )
    for key, table in (("funding", "funding"), ("required_documents", "required_documents")):
        rows = index.plain(table, "service_id", sid)
        if rows:
            result[key] = rows
    metadata = index.children("metadata", "resource_id", sid)
    if metadata:
        result["metadata"] = metadata
    return result


def organization_lists(index: Index, org: Row) -> dict[str, Any]:
    """An organisation with what only it nests: phones, contacts, programs, funding, ids."""
    oid = org["id"]
    return index.extras(
        org,
        phones=index.phones("organization_id", oid),
        contacts=index.contacts("organization_id", oid),
        programs=index.plain("programs", "organization_id", oid),
        funding=[
            f for f in index.plain("funding", "organization_id", oid) if not f.get("service_id")
        ],
        organization_identifiers=index.plain("organization_identifiers", "organization_id", oid),
    )


def organization_full(index: Index, org: Row, *, full_service: bool) -> dict[str, Any]:
    oid = org["id"]
    services = index.children("services", "organization_id", oid)
    return {
        **organization_lists(index, org),
        "phones": index.phones("organization_id", oid),
        "locations": [
            location_full(index, loc) for loc in index.children("locations", "organization_id", oid)
        ],
        "services": [
            service_full(index, s) if full_service else service_brief(index, s) for s in services
        ],
    }


def document(tables: Tables) -> dict[str, Any]:
    """The JSON export: nested organizations and services, plus the taxonomies."""
    index = Index(tables)
    return {
        "hsds_version": "3.0",
        "organizations": [organization_lists(index, org) for org in tables["organizations"]],
        "services": [service_full(index, s) for s in tables["services"]],
        # Locations no service_at_location names (a schedule's place, say) travel on their own.
        "locations": [
            location_full(index, loc)
            for loc in tables["locations"]
            if not index.children("service_at_locations", "location_id", loc["id"])
        ],
        "taxonomies": tables["taxonomies"],
        "taxonomy_terms": [index.extras(t) for t in tables["taxonomy_terms"]],
        # What the nesting has no place for (an import's kept rows): carried as they are.
        **_leftovers(index, tables),
    }


def _leftovers(index: Index, tables: Tables) -> dict[str, Any]:
    # Metadata nests in its resource, unless that is an attribute or a taxonomy.
    resources = {
        r["id"]
        for table, rows in tables.items()
        if table not in ("attributes", "taxonomies", "metadata", "meta_table_descriptions")
        for r in rows
    }
    nested = {
        "metadata": {id(r) for r in tables.get("metadata", []) if r.get("resource_id") in resources}
    }
    nested |= {
        table: {id(r) for key in keys for r in index.tables.get(table, []) if r.get(key)}
        for table, keys in (
            ("programs", ("organization_id",)),
            ("funding", ("organization_id", "service_id")),
            ("required_documents", ("service_id",)),
            ("organization_identifiers", ("organization_id",)),
        )
    }
    result = {}
    for table in ("meta_table_descriptions", *nested):
        rows = [r for r in tables.get(table, []) if id(r) not in nested.get(table, set())]
        if rows:
            result[table] = rows
    return result
