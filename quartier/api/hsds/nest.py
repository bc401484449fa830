"""HSDS tables → the nested JSON objects of the compiled schemas (service, organization, ...)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from quartier.api.hsds.export import Row, Tables

SERVICE_LIST_FIELDS = (
    "id",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "application_process",
    "fees_description",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "last_modified",
)


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


def organization_brief(index: Index, org_id: str | None) -> dict[str, Any] | None:
    org = index.by_id["organizations"].get(org_id or "")
    return dict(org) if org else None


def service_brief(index: Index, service: Row) -> dict[str, Any]:
    """A service_list item: the one-to-one fields and the organization."""
    result = {key: service[key] for key in SERVICE_LIST_FIELDS if key in service}
    org = organization_brief(index, service.get("organization_id"))
    if org:
        result["organization"] = org
    return result


def location_full(index: Index, location: Row) -> dict[str, Any]:
    lid = location["id"]
    return {
        **location,
        "addresses": index.children("addresses", "location_id", lid),
        "accessibility": index.children("accessibility", "location_id", lid),
        "attributes": index.attributes(lid),
    }


def schedule_full(index: Index, schedule: Row) -> dict[str, Any]:
    attributes = index.attributes(schedule["id"])
    return {**schedule, "attributes": attributes} if attributes else dict(schedule)


def contact_full(index: Index, contact: Row) -> dict[str, Any]:
    return {**contact, "phones": index.children("phones", "contact_id", contact["id"])}


def service_at_location_full(index: Index, sal: Row) -> dict[str, Any]:
    result = dict(sal)
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
            "phones": index.children("phones", "service_id", sid),
            "schedules": [
                schedule_full(index, s) for s in index.children("schedules", "service_id", sid)
            ],
            "service_areas": index.children("service_areas", "service_id", sid),
            "service_at_locations": [
                service_at_location_full(index, sal)
                for sal in index.children("service_at_locations", "service_id", sid)
            ],
            "languages": index.children("languages", "service_id", sid),
            "cost_options": index.children("cost_options", "service_id", sid),
            "contacts": [
                contact_full(index, c) for c in index.children("contacts", "service_id", sid)
            ],
            "attributes": index.attributes(sid),
        }
    )
    return result


def organization_full(index: Index, org: Row, *, full_service: bool) -> dict[str, Any]:
    oid = org["id"]
    services = index.children("services", "organization_id", oid)
    return {
        **org,
        "phones": index.children("phones", "organization_id", oid),
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
        "organizations": [
            {**org, "phones": index.children("phones", "organization_id", org["id"])}
            for org in tables["organizations"]
        ],
        "services": [service_full(index, s) for s in tables["services"]],
        # Locations no service_at_location names (a schedule's place, say) travel on their own.
        "locations": [
            location_full(index, loc)
            for loc in tables["locations"]
            if not index.children("service_at_locations", "location_id", loc["id"])
        ],
        "taxonomies": tables["taxonomies"],
        "taxonomy_terms": tables["taxonomy_terms"],
    }
