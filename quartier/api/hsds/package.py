"""Reading and writing HSDS files: the JSON document and the tabular data package (CSV).

Both become the same tables (quartier.api.hsds.export.Tables) so that one importer serves both;
every row remembers where it came from (`_at`: file and row number or JSON path) for the report.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from quartier.api.hsds import nest
from quartier.api.hsds.export import TABLES, Tables
from quartier.api.hsds.validate import ImportFailed, Problem, Report

# Our table name → (the resource name in datapackage.json, the CSV file).
RESOURCES = {
    "organizations": ("organization", "organizations.csv"),
    "services": ("service", "services.csv"),
    "locations": ("location", "locations.csv"),
    "addresses": ("address", "addresses.csv"),
    "accessibility": ("accessibility", "accessibility.csv"),
    "service_at_locations": ("service_at_location", "service_at_location.csv"),
    "schedules": ("schedule", "schedules.csv"),
    "phones": ("phone", "phones.csv"),
    "contacts": ("contact", "contacts.csv"),
    "languages": ("language", "languages.csv"),
    "service_areas": ("service_area", "service_areas.csv"),
    "cost_options": ("cost_option", "cost_options.csv"),
    "taxonomies": ("taxonomy", "taxonomies.csv"),
    "taxonomy_terms": ("taxonomy_term", "taxonomy_terms.csv"),
    "attributes": ("attribute", "attributes.csv"),
}
# The columns we write (HSDS field names; the subset our catalogue fills).
COLUMNS = {
    "organizations": ["id", "name", "description", "email", "website", "parent_organization_id"],
    "services": [
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
    ],
    "locations": [
        "id",
        "location_type",
        "organization_id",
        "name",
        "transportation",
        "latitude",
        "longitude",
    ],
    "addresses": [
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "accessibility": ["id", "location_id", "description"],
    "service_at_locations": ["id", "service_id", "location_id", "description"],
    "schedules": [
        "id",
        "service_id",
        "location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "count",
        "freq",
        "byday",
        "description",
        "opens_at",
        "closes_at",
    ],
    "phones": ["id", "service_id", "organization_id", "contact_id", "number", "type"],
    "contacts": ["id", "service_id", "name", "email"],
    "languages": ["id", "service_id", "name", "code"],
    "service_areas": ["id", "service_id", "name", "uri"],
    "cost_options": ["id", "service_id", "option"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": [
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy_id",
        "term_uri",
        "language",
    ],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
}
IGNORED_NOTE = gettext_noop("Not imported: Quartier has no place for this table.")


def _fail(file: str, message: str) -> ImportFailed:
    return ImportFailed(Report(problems=[Problem(file, "-", "-", message)]))


# --- CSV package ---------------------------------------------------------------------------


def write_package(tables: Tables, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for table in TABLES:
        name, path = RESOURCES[table]
        columns = COLUMNS[table]
        with (folder / path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(tables[table])
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": [{"name": c, "type": "string"} for c in columns],
                    "primaryKey": "id",
                },
            }
        )
    descriptor = {
        "name": "quartier-hsds-export",
        "profile": "tabular-data-package",
        "version": "3.0",
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_package(
    folder: Path, report: Report, progress: Callable[[str, int, int], None] | None = None
) -> Tables:
    """The tables of a data package folder (datapackage.json names the files)."""
    paths = {table: path for table, (_name, path) in RESOURCES.items()}
    descriptor_path = folder / "datapackage.json"
    if descriptor_path.exists():
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
            by_name = {r["name"]: r["path"] for r in descriptor.get("resources", [])}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            message = _("Not a valid data package: %(e)s") % {"e": exc}
            raise _fail("datapackage.json", message) from exc
        names = {name: table for table, (name, _p) in RESOURCES.items()}
        for name, path in by_name.items():
            if name in names:
                paths[names[name]] = path
            elif (folder / str(path)).exists():
                report.problems.append(Problem(str(path), "-", "-", _(IGNORED_NOTE), "warning"))
    tables: Tables = {}
    if progress:
        progress("read", 0, len(paths))
    for number, (table, path) in enumerate(paths.items(), start=1):
        file = folder / path
        tables[table] = _read_csv(file, path) if file.exists() else []
        if progress:
            progress("read", number, len(paths))
    return tables


def _read_csv(file: Path, name: str) -> list[dict[str, Any]]:
    # csv.reader and one dict per row: csv.DictReader costs twice as much. Like DictReader,
    # blank lines are skipped without counting as rows.
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            named = all(header)  # no column without a name: dict(zip()) is all it takes
            rows = []
            number = 1
            for values in reader:
                if not values:
                    continue
                number += 1
                if len(values) > len(header):
                    raise _fail(
                        name,
                        _("Row %(n)d has more values than the header has columns.") % {"n": number},
                    )
                if named and "" not in values:
                    row = dict(zip(header, values, strict=False))
                else:
                    row = {k: v for k, v in zip(header, values, strict=False) if k and v}
                row["_at"] = (name, number)
                rows.append(row)
            return rows
    except (UnicodeDecodeError, csv.Error) as exc:
        message = _("Cannot read this CSV file (UTF-8 expected): %(e)s") % {"e": exc}
        raise _fail(name, message) from exc


# --- JSON ----------------------------------------------------------------------------------


def write_json(tables: Tables, path: Path) -> None:
    path.write_text(
        json.dumps(nest.document(tables), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


NESTED = {
    # (object type, key) → (table, the field that points to the parent, child type)
    ("service", "phones"): ("phones", "service_id", "phone"),
    ("service", "schedules"): ("schedules", "service_id", "schedule"),
    ("service", "service_areas"): ("service_areas", "service_id", None),
    ("service", "service_at_locations"): ("service_at_locations", "service_id", "sal"),
    ("service", "languages"): ("languages", "service_id", None),
    ("service", "cost_options"): ("cost_options", "service_id", None),
    ("service", "contacts"): ("contacts", "service_id", "contact"),
    ("organization", "phones"): ("phones", "organization_id", "phone"),
    ("organization", "locations"): ("locations", "organization_id", "location"),
    ("organization", "services"): ("services", "organization_id", "service"),
    ("organization", "contacts"): ("contacts", "organization_id", "contact"),
    ("location", "addresses"): ("addresses", "location_id", None),
    ("location", "accessibility"): ("accessibility", "location_id", None),
    ("location", "phones"): ("phones", "location_id", "phone"),
    ("contact", "phones"): ("phones", "contact_id", "phone"),
    ("sal", "phones"): ("phones", "service_at_location_id", "phone"),
    ("sal", "schedules"): ("schedules", "service_at_location_id", "schedule"),
}
TOP = {
    "services": ("services", "service"),
    "organizations": ("organizations", "organization"),
    "locations": ("locations", "location"),
    "taxonomies": ("taxonomies", None),
    "taxonomy_terms": ("taxonomy_terms", "term"),
}
ENTITY = {
    "service": "service",
    "organization": "organization",
    "location": "location",
    "schedule": "schedule",
    "sal": "service_at_location",
    "contact": "contact",
    "phone": "phone",
}
# Object type → {key of a nested parent object: the foreign key it fills}.
PARENTS = {
    "service": {"organization": "organization_id"},
    "sal": {"location": "location_id", "service": "service_id"},
    "attr": {"taxonomy_term": "taxonomy_term_id"},
    "term": {"taxonomy_detail": "taxonomy_id"},
}
TABLE_OF = {
    "service": "services",
    "organization": "organizations",
    "location": "locations",
    "schedule": "schedules",
    "sal": "service_at_locations",
    "contact": "contacts",
    "phone": "phones",
    "term": "taxonomy_terms",
}


class Flattener:
    """Nested HSDS JSON → tables; the same object met twice is merged by id."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.tables: Tables = {t: [] for t in TABLES}
        self.seen: dict[tuple[str, str], dict] = {}

    def add(self, table: str, obj: Any, path: str, kind: str | None, parent: dict) -> None:
        if not isinstance(obj, dict):
            raise _fail(self.file, _("%(path)s is not an object.") % {"path": path})
        flat = {k: v for k, v in obj.items() if not isinstance(v, (dict, list)) and v is not None}
        flat.update(parent)
        key = (table, str(obj.get("id")))
        if obj.get("id") is not None and key in self.seen:
            target = self.seen[key]
            for k, v in flat.items():
                target.setdefault(k, v)
        else:
            flat["_at"] = (self.file, path)
            self.tables[table].append(flat)
            if obj.get("id") is not None:
                self.seen[key] = flat
            target = flat
        if kind:
            self._children(obj, path, kind, target)

    def _children(self, obj: dict, path: str, kind: str, flat: dict) -> None:
        oid = obj.get("id")
        # A parent given as a nested object (a service's organization, a term's taxonomy) names
        # the key the row's own foreign key would hold; an explicit key wins.
        for key, fld in PARENTS.get(kind, {}).items():
            value = obj.get(key)
            if isinstance(value, dict) and value.get("id") is not None:
                flat.setdefault(fld, value["id"])
        for key, value in obj.items():
            spec = NESTED.get((kind, key))
            if spec and isinstance(value, list):
                table, fld, child = spec
                for i, item in enumerate(value):
                    self.add(table, item, f"{path}.{key}[{i}]", child, {fld: oid})
            elif key == "attributes" and isinstance(value, list):
                for i, item in enumerate(value):
                    extra = {"link_id": oid, "link_entity": ENTITY.get(kind, kind)}
                    self.add("attributes", item, f"{path}.attributes[{i}]", "attr", extra)
            elif key == "taxonomy_term" and kind == "attr" and isinstance(value, dict):
                self.add("taxonomy_terms", value, f"{path}.taxonomy_term", "term", {})
            elif key == "taxonomy_detail" and isinstance(value, dict):
                self.add("taxonomies", value, f"{path}.taxonomy_detail", None, {})
            elif key == "location" and kind == "sal" and isinstance(value, dict):
                self.add("locations", value, f"{path}.location", "location", {})
            elif key == "organization" and kind == "service" and isinstance(value, dict):
                self.add("organizations", value, f"{path}.organization", "organization", {})
            elif key == "service" and kind == "sal" and isinstance(value, dict):
                self.add("services", value, f"{path}.service", "service", {})


def read_json(path: Path) -> Tables:
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail(name, _("Not valid JSON: %(e)s") % {"e": exc}) from exc
    flat = Flattener(name)
    if isinstance(data, dict) and "contents" in data:  # an API page of services
        data = {"services": data["contents"]}
    if isinstance(data, list):
        data = {"services": data}
    if isinstance(data, dict) and "name" in data and "id" in data:  # one service object
        data = {"services": [data]}
    if not isinstance(data, dict) or not any(key in data for key in TOP):
        raise _fail(name, _("Expected an HSDS document with services or organizations."))
    for key, (table, kind) in TOP.items():
        items = data.get(key) or []
        if not isinstance(items, list):
            raise _fail(name, _("%(key)s must be a list.") % {"key": key})
        for i, item in enumerate(items):
            flat.add(table, item, f"{key}[{i}]", kind, {})
    return flat.tables


def read_source(
    path: Path, report: Report, progress: Callable[[str, int, int], None] | None = None
) -> Tables:
    """A folder (data package), a datapackage.json, or a JSON document."""
    if path.is_dir():
        return read_package(path, report, progress)
    if path.name == "datapackage.json":
        return read_package(path.parent, report, progress)
    if not path.exists():
        raise _fail(path.name, _("There is no such file or folder."))
    tables = read_json(path)
    if progress:
        progress("read", 1, 1)
    return tables
