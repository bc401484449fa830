"""Round trip without loss: what an HSDS import read beyond our records, kept and given back.

Our catalogue stores what it uses (an offer's name, one phone, its weekly hours, its topics).
Everything else an HSDS row holds, and every row that becomes no record of ours (a second phone,
a monthly schedule, an attribute of a location in another taxonomy, programs, funding, required
documents, metadata, organisation identifiers), is kept in `Kept` and added to the export again:

- `snapshot` (before the checks, which replace raw values with parsed ones) remembers each row's
  given fields;
- `keep` (after the import wrote its records) stores per row the fields our records do not hold
  (`MAPPED` lists the ones they do), the id the export gives the record made from it (`alias`),
  or the whole row where no record was made;
- `apply` (in build_tables) renames the exported rows back to the imported ids, adds the kept
  fields and the kept whole rows whose owner is exported.

Fields our records hold are exported from the records, so an edit in Quartier wins over the
imported value; the kept fields are what Quartier cannot edit. Documented normalisations: ids
in lower case, times as HH:MM:SS, numbers as numbers, a malformed web address as repaired (the
import warns), language codes in lower case where the code is ours.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from quartier.api.hsds import fastsql, ids
from quartier.api.hsds.models import Kept
from quartier.api.hsds.validate import WEEKDAY_CODES as WEEKDAYS
from quartier.api.hsds.validate import extension_term_codes
from quartier.offers.models import ScheduleKind

Row = dict[str, Any]
Tables = dict[str, list[Row]]

# The tables HSDS 3.0 has beyond those our records fill (whole rows only).
OTHER_TABLES = (
    "programs",
    "funding",
    "required_documents",
    "organization_identifiers",
    "metadata",
    "meta_table_descriptions",
)
# Every column of every HSDS 3.0 table (datapackage.json), in the standard's order.
COLUMNS: dict[str, list[str]] = {
    "organizations": [
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "uri",
        "parent_organization_id",
    ],
    "programs": ["id", "organization_id", "name", "alternate_name", "description"],
    "services": [
        "id",
        "organization_id",
        "program_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "licenses",
        "alert",
        "last_modified",
    ],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
    "service_at_locations": ["id", "service_id", "location_id", "description"],
    "locations": [
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
        "external_identifier",
        "external_identifier_type",
    ],
    "phones": [
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ],
    "contacts": [
        "id",
        "organization_id",
        "service_id",
        "service_at_location_id",
        "location_id",
        "name",
        "title",
        "department",
        "email",
    ],
    "addresses": [
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "schedules": [
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ],
    "funding": ["id", "organization_id", "service_id", "source"],
    "service_areas": ["id", "service_id", "name", "description", "extent", "extent_type", "uri"],
    "required_documents": ["id", "service_id", "document", "uri"],
    "languages": ["id", "service_id", "location_id", "phone_id", "name", "code", "note"],
    "accessibility": ["id", "location_id", "description", "details", "url"],
    "taxonomy_terms": [
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "taxonomy_id",
        "term_uri",
    ],
    "metadata": [
        "id",
        "resource_id",
        "resource_type",
        "last_action_date",
        "last_action_type",
        "field_name",
        "previous_value",
        "replacement_value",
        "updated_by",
    ],
    "meta_table_descriptions": ["id", "name", "language", "character_set"],
    "cost_options": [
        "id",
        "service_id",
        "valid_from",
        "valid_to",
        "option",
        "currency",
        "amount",
        "amount_description",
    ],
    "organization_identifiers": [
        "id",
        "organization_id",
        "identifier_scheme",
        "identifier_type",
        "identifier",
    ],
    "taxonomies": ["id", "name", "description", "uri", "version"],
}
# Fields our records hold (exported from them); the rest of a row is kept.
MAPPED: dict[str, set[str]] = {
    "organizations": {"id", "name", "description", "email", "website", "parent_organization_id"},
    "services": {
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
    },
    "locations": {"id", "organization_id", "name", "transportation", "latitude", "longitude"},
    "addresses": {"id", "location_id", "address_1", "city", "postal_code"},
    "accessibility": {"id", "location_id", "description"},
    "service_at_locations": {"id", "service_id", "location_id", "description"},
    "schedules": {"id", "service_id", "location_id", "opens_at", "closes_at", "description"},
    "phones": {"id", "service_id", "organization_id", "contact_id", "number"},
    "contacts": {"id", "service_id", "name", "email"},
    "languages": {"id", "service_id", "code"},
    "service_areas": {"id", "service_id"},
    "cost_options": {"id", "service_id", "option"},
    "taxonomies": {"id", "name", "description", "uri", "version"},
    "taxonomy_terms": {"id", "code", "name", "description", "parent_id", "taxonomy_id", "term_uri"},
    "attributes": {"id", "link_id", "taxonomy_term_id", "link_entity"},
}
# Schedule fields of the recurrence our records hold in their own form (a weekday, a date):
# the given value is exported while the record still says what it said after the import.
GUARDED = {"schedules": ("valid_from", "valid_to", "dtstart", "count", "freq", "byday")}
NUMBERS = {
    "amount",
    "latitude",
    "longitude",
    "year_incorporated",
    "extension",
    "timezone",
    "count",
    "interval",
    "minimum_age",
    "maximum_age",
}
# Fields of other rows' ids (lower case after the checks; written as such).
ID_FIELDS = {
    "id",
    "organization_id",
    "service_id",
    "location_id",
    "contact_id",
    "service_at_location_id",
    "phone_id",
    "program_id",
    "parent_organization_id",
    "parent_id",
    "taxonomy_id",
    "taxonomy_term_id",
    "link_id",
    "resource_id",
}
# Which field of a row names the row it belongs to, in order of preference.
OWNER_FIELDS = (
    "service_id",
    "service_at_location_id",
    "contact_id",
    "phone_id",
    "link_id",
    "resource_id",
    "location_id",
    "organization_id",
    "program_id",
)
ROOT_TABLES = ("services", "organizations", "locations")
# The order in which whole rows are added: a row's owner is exported before the row.
ORDER = (
    "organizations",
    "programs",
    "services",
    "locations",
    "service_at_locations",
    "addresses",
    "accessibility",
    "contacts",
    "phones",
    "schedules",
    "languages",
    "service_areas",
    "cost_options",
    "funding",
    "required_documents",
    "organization_identifiers",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
    "metadata",
    "meta_table_descriptions",
)
# Fields HSDS requires (the key, if not content) for rows that are written whole.
REQUIRED = {
    "organizations": ("name", "description"),
    "programs": ("name", "description"),
    "organization_identifiers": ("identifier_type", "identifier"),
    "metadata": (
        "last_action_date",
        "last_action_type",
        "field_name",
        "previous_value",
        "replacement_value",
        "updated_by",
    ),
    "phones": ("number",),
    "addresses": ("address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "locations": ("location_type",),
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def snapshot(tables: Tables) -> None:
    """Remember each row's given values (before the checks parse them in place)."""
    for rows in tables.values():
        for r in rows:
            r["_raw"] = {k: v for k, v in r.items() if k[0] != "_" and not _empty(v)}


def number(value: Any) -> Any:
    """A number given as text, as a number (an integer where it is one); else unchanged."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return value
    try:
        parsed = float(value)
    except ValueError:
        return value
    return int(parsed) if parsed.is_integer() else parsed


def _value(fld: str, raw: Any, parsed: Any) -> Any:
    if fld in ID_FIELDS:
        return parsed if isinstance(parsed, str) and parsed else str(raw).lower()
    if fld in NUMBERS:
        return number(raw)
    return raw


class Plan:
    """What the import made of each row: the exported id of its record, or none (whole)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.alias: dict[int, str] = {}  # id(row) → the id its record exports with
        self.replaces: dict[int, list[str]] = {}  # id(row) → exported rows it stands for
        self.guard: dict[int, dict[str, Any]] = {}  # id(row) → export values after the import

    def same(self, r: Row) -> None:
        self.alias[id(r)] = r["id"]

    def once(self, r: Row, alias: str, taken: set[str]) -> None:
        if alias not in taken:
            taken.add(alias)
            self.alias[id(r)] = alias


def plan(tables: Tables, made: dict[str, Any]) -> Plan:
    """Mirror the importer's choices (`made`: what its steps report, see importer)."""
    p = Plan(tables)
    extension = str(ids.EXTENSION_TAXONOMY_ID)
    for table in ("organizations", "services", "locations", "service_at_locations"):
        for r in tables.get(table, []):
            p.same(r)
    for table in ("taxonomies", "taxonomy_terms"):
        for r in tables.get(table, []):
            p.same(r)
    taken: set[str] = set()
    last_address = {r["location_id"]: r for r in tables.get("addresses", []) if r["location_id"]}
    for lid, r in last_address.items():
        p.once(r, ids.derived(lid, "address"), taken)
    access = defaultdict(list)
    for r in tables.get("accessibility", []):
        if r.get("location_id") and r.get("description"):
            access[r["location_id"]].append(r)
    for lid, rows in access.items():
        derived = ids.derived(lid, "accessibility")
        if len(rows) == 1:
            p.once(rows[0], derived, taken)
        else:  # joined into one text: the rows travel whole instead
            for r in rows:
                p.replaces[id(r)] = [derived]
    first: dict[str, dict[str, int]] = {"service_id": {}, "organization_id": {}}
    for fld, found in first.items():
        for r in tables.get("phones", []):
            if r.get(fld):
                found.setdefault(r[fld], id(r))
    contact_kinds: set[tuple[str, str]] = set()
    for r in tables.get("phones", []):
        if r.get("service_id") and first["service_id"][r["service_id"]] == id(r):
            p.once(r, ids.derived(r["service_id"], "phone"), taken)
        elif r.get("organization_id") and first["organization_id"][r["organization_id"]] == id(r):
            p.once(r, ids.derived(r["organization_id"], "phone"), taken)
        elif r.get("contact_id") and r["contact_id"] in made.get("contacts", ()):
            kind = "mobile" if (r.get("type") or "") == "cell" else "phone"
            if (r["contact_id"], kind) not in contact_kinds:
                contact_kinds.add((r["contact_id"], kind))
                p.once(r, ids.derived(r["contact_id"], kind), taken)
    for r in tables.get("contacts", []):
        if r.get("service_id"):
            p.same(r)
    for r in tables.get("languages", []):
        code = (r.get("code") or (r.get("name") or "")[:12]).lower()
        if r.get("service_id") and code:
            p.once(r, ids.derived(r["service_id"], f"language:{code}"), taken)
    for r in tables.get("service_areas", []):
        slug = r.get("_area_slug")
        if slug:
            p.once(r, ids.derived(r["service_id"], f"area:{slug}"), taken)
    for r in tables.get("cost_options", []):
        if r.get("service_id"):
            p.once(r, ids.derived(r["service_id"], "cost"), taken)
    for r in tables.get("schedules", []):
        made_rows = made.get("schedules", {}).get(id(r), [])
        if len(made_rows) == 1 and made_rows[0]["id"] == r["id"]:
            p.same(r)
            p.guard[id(r)] = schedule_export(made_rows[0])
        elif made_rows:
            p.replaces[id(r)] = [m["id"] for m in made_rows]
    terms = {r["id"]: r for r in tables.get("taxonomy_terms", [])}
    services = {r["id"] for r in tables.get("services", [])}
    locations = {r["id"] for r in tables.get("locations", [])}
    fixed = extension_term_codes()
    groups = made.get("groups", set())
    closed = made.get("closed", set())
    for r in tables.get("attributes", []):
        link, term_id = r.get("link_id"), r.get("taxonomy_term_id") or ""
        term = terms.get(term_id)
        code = fixed.get(term_id) or (term or {}).get("code") or ""
        ext = term_id in fixed or bool(term and term.get("taxonomy_id") == extension)
        if link in services:
            if code in ids.ACCESS_CODES or code == ids.EASY_LANGUAGE:
                stored = True
            elif ext:
                prefix = ids.TARGET_GROUP_PREFIX
                stored = code.startswith(prefix) and code[len(prefix) :] in groups
            else:
                stored = True  # a topic
        elif link in locations:
            stored = code == ids.WHEELCHAIR
        else:
            stored = link in closed and code == ids.CLOSED
        if stored:
            p.once(r, ids.derived(link, f"attribute:{term_id}"), taken)
    return p


def schedule_export(made: dict[str, Any]) -> dict[str, Any]:
    """The recurrence fields the export writes for a schedule record (see export)."""
    kind = made["kind"]
    start, end = made.get("valid_from"), made.get("valid_to")
    result: dict[str, Any] = {
        "valid_from": start.isoformat() if start else None,
        "valid_to": end.isoformat() if end else None,
    }
    if kind == ScheduleKind.DATE:
        result.update(dtstart=result["valid_from"], count=1)
    if kind == ScheduleKind.WEEKLY:
        day = made.get("weekday")
        result.update(freq="WEEKLY", byday=WEEKDAYS[day] if day is not None else None)
    return result


def keep(tables: Tables, made: dict[str, Any]) -> int:
    """Store what the export could not give back from our records; the number of records."""
    p = plan(tables, made)
    root_of: dict[str, str | None] = {}
    for table in ROOT_TABLES:
        for r in tables.get(table, []):
            root_of[r["id"]] = r["id"]
    records = []
    for table in ORDER:
        for r in tables.get(table, []):
            owner = next((r[f] for f in OWNER_FIELDS if r.get(f)), None)
            if table == "taxonomy_terms":
                owner = None
            if table not in ROOT_TABLES:
                root_of[r["id"]] = root_of.get(owner) if owner else None
            raw = r.get("_raw", {})
            alias = p.alias.get(id(r))
            whole = alias is None
            if whole:
                data = {k: _value(k, v, r.get(k)) for k, v in raw.items()}
                if id(r) in p.replaces:
                    data["_replaces"] = p.replaces[id(r)]
            else:
                mapped = MAPPED.get(table, set())
                data = {k: _value(k, v, r.get(k)) for k, v in raw.items() if k not in mapped}
                if table == "taxonomy_terms" and r.get("_dangling_parent_id"):
                    data["parent_id"] = r["_dangling_parent_id"]
                if table == "languages" and raw.get("code") and raw["code"] != r["code"].lower():
                    data["code"] = raw["code"]
                if table == "cost_options" and r.get("option") not in made.get("costs", ()):
                    data["option"] = raw.get("option", "")
                if id(r) in p.guard:
                    data["_as"] = {k: p.guard[id(r)].get(k) for k in GUARDED[table] if k in data}
                if not data and alias == r["id"]:
                    continue
            records.append(
                {
                    "table": table,
                    "hsds_id": r["id"],
                    "alias": None if whole else alias,
                    "whole": whole,
                    "root": root_of.get(r["id"]),
                    "scope": owner if whole else None,
                    "data": data,
                }
            )
    if Kept.objects.exists():  # a first import has nothing to replace
        roots = sorted({r["id"] for t in ROOT_TABLES for r in tables.get(t, [])})
        fastsql.delete_where_in(Kept, "root", roots)
        every = sorted({r["id"] for rows in tables.values() for r in rows if r.get("id")})
        fastsql.delete_where_in(Kept, "hsds_id", every)
    fastsql.insert_rows(Kept, records)
    return len(records)


def _chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def load(tables: Tables, *, every: bool) -> list[Kept]:
    """The kept records of the exported offers, organisations and locations (and, `every`, the
    ones that belong to none of them: taxonomies, table descriptions)."""
    roots = sorted({r["id"] for t in ROOT_TABLES for r in tables.get(t, [])})
    terms = sorted(r["id"] for r in tables.get("taxonomy_terms", []))
    # One query for a page of the API (up to 500 of each), a few for a whole export.
    if every:
        wanted = [Q(root__isnull=True)]
    else:
        wanted = [Q(root__isnull=True, hsds_id__in=chunk) for chunk in _chunks(terms)]
    wanted += [Q(root__in=chunk) for chunk in _chunks(roots)]
    found: list[Kept] = []
    for start in range(0, len(wanted), 2):
        query = Q()
        for part in wanted[start : start + 2]:
            query |= part
        found.extend(Kept.objects.filter(query))
    return found


def apply(tables: Tables, *, every: bool, required: dict[str, tuple[str, ...]]) -> None:
    """Give the exported rows their imported ids and kept fields back; add the kept rows."""
    kept = load(tables, every=every)
    if not kept:
        return
    for table in OTHER_TABLES:
        tables.setdefault(table, [])
    by_table: dict[str, list[Kept]] = defaultdict(list)
    for k in kept:
        by_table[k.table].append(k)
    exported = {r["id"] for rows in tables.values() for r in rows}
    made = set(exported)  # what our records give, before any kept row is added
    renamed: dict[str, str] = {}
    for table in ORDER:
        rows = tables.setdefault(table, [])
        index = {r["id"]: r for r in rows}
        dropped: set[str] = set()
        for k in by_table.get(table, []):
            hsds_id = str(k.hsds_id)
            data = dict(k.data)
            if k.whole:
                if k.scope and str(k.scope) not in exported:
                    continue
                if not _contact_data_public(table, data, made):
                    continue
                replaces = data.pop("_replaces", [])
                if replaces and not all(i in index for i in replaces):
                    continue  # edited since the import: our records tell it now
                dropped.update(replaces)
                target = index.get(hsds_id)
                if target is None:
                    target = {"id": hsds_id}
                    for fld in required.get(table, ()) + REQUIRED.get(table, ()):
                        target[fld] = ""
                    rows.append(target)
                    index[hsds_id] = target
                target.update({f: v for f, v in data.items() if f != "id"})
                exported.add(hsds_id)
                continue
            target = index.get(str(k.alias))
            if target is None:
                continue  # removed in Quartier since the import
            if str(k.alias) != hsds_id:
                del index[str(k.alias)]
                renamed[str(k.alias)] = hsds_id
                target["id"] = hsds_id
                index[hsds_id] = target
                exported.add(hsds_id)
            guard = data.pop("_as", {})
            for fld, value in data.items():
                if fld in guard and target.get(fld) != guard[fld]:
                    continue  # edited in Quartier since the import
                if fld == "parent_id" and value not in exported:
                    continue  # a parent term not (yet) here: no reference that dangles
                target[fld] = value
        if dropped:
            tables[table] = [r for r in rows if r["id"] not in dropped]
    if renamed:
        for rows in tables.values():
            for r in rows:
                for fld in ("link_id", "phone_id", "contact_id"):
                    if r.get(fld) in renamed:
                        r[fld] = renamed[r[fld]]


def _contact_data_public(table: str, data: dict[str, Any], made: set[str]) -> bool:
    """A contact person's further phone numbers leave only while the person's own phone of
    that kind is public (exported from our records): the directory decides, not the import."""
    if table != "phones" or not data.get("contact_id"):
        return True
    kind = "mobile" if data.get("type") == "cell" else "phone"
    return ids.derived(data["contact_id"], kind) in made


def uuid_or_none(value: Any) -> uuid.UUID | None:
    return ids.parse_uuid(value) if value else None
