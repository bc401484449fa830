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

from quartier.api.hsds import kept, nest
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
    "programs": ("program", "programs.csv"),
    "funding": ("funding", "funding.csv"),
    "required_documents": ("required_document", "required_documents.csv"),
    "organization_identifiers": ("organization_identifier", "organization_identifiers.csv"),
    "metadata": ("metadata", "metadata.csv"),
    "meta_table_descriptions": ("meta_table_description", "meta_table_descriptions.csv"),
}
# The columns we write: every column of HSDS 3.0 (our records fill a subset, an import's kept
# data the rest).
COLUMNS = kept.COLUMNS
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
    ("service", "funding"): ("funding", "service_id", "funding"),
    ("service", "required_documents"): ("required_documents", "service_id", "required_document"),
    ("organization", "funding"): ("funding", "organization_id", "funding"),
    ("organization", "programs"): ("programs", "organization_id", "program"),
    ("organization", "organization_identifiers"): (
        "organization_identifiers",
        "organization_id",
        "organization_identifier",
    ),
    ("location", "languages"): ("languages", "location_id", "language"),
    ("location", "contacts"): ("contacts", "location_id", "contact"),
    ("location", "schedules"): ("schedules", "location_id", "schedule"),
    ("phone", "languages"): ("languages", "phone_id", "language"),
    ("sal", "contacts"): ("contacts", "service_at_location_id", "contact"),
    ("service", "schedules"): ("schedules", "service_id", "schedule"),
    ("service", "service_areas"): ("service_areas", "service_id", "service_area"),
    ("service", "service_at_locations"): ("service_at_locations", "service_id", "sal"),
    ("service", "languages"): ("languages", "service_id", "language"),
    ("service", "cost_options"): ("cost_options", "service_id", "cost_option"),
    ("service", "contacts"): ("contacts", "service_id", "contact"),
    ("organization", "phones"): ("phones", "organization_id", "phone"),
    ("organization", "locations"): ("locations", "organization_id", "location"),
    ("organization", "services"): ("services", "organization_id", "service"),
    ("organization", "contacts"): ("contacts", "organization_id", "contact"),
    ("location", "addresses"): ("addresses", "location_id", "address"),
    ("location", "accessibility"): ("accessibility", "location_id", "accessibility"),
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
    # Our export's rows that nest nowhere (kept from an import, quartier.api.hsds.kept).
    "meta_table_descriptions": ("meta_table_descriptions", None),
    "metadata": ("metadata", None),
    "programs": ("programs", "program"),
    "funding": ("funding", "funding"),
    "required_documents": ("required_documents", "required_document"),
    "organization_identifiers": ("organization_identifiers", "organization_identifier"),
}
ENTITY = {
    **{kind: kind for kind in ("program", "funding", "required_document", "language")},
    **{kind: kind for kind in ("organization_identifier", "address", "accessibility")},
    **{kind: kind for kind in ("service_area", "cost_option", "taxonomy_term")},
    "term": "taxonomy_term",
    "attr": "attribute",
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
    "service": {"organization": "organization_id", "program": "program_id"},
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
# Fields a nesting parent fills only where the object does not say it itself.
DEFAULTS = {"link_entity", "resource_type"}


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
        for k, v in parent.items():
            if k not in DEFAULTS or _blank(flat.get(k)):
                flat[k] = v
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
            elif key == "metadata" and isinstance(value, list):
                for i, item in enumerate(value):
                    extra = {"resource_id": oid, "resource_type": ENTITY.get(kind, kind)}
                    self.add("metadata", item, f"{path}.metadata[{i}]", None, extra)
            elif key == "program" and kind == "service" and isinstance(value, dict):
                self.add("programs", value, f"{path}.program", "program", {})
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


def _blank(value: Any) -> bool:
    return value is None or value == ""


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
