"""Checks of HSDS rows before anything is written: every bad row is reported, none is skipped.

A row is a dict of HSDS fields (strings from CSV, JSON values from JSON) plus `_at`, the place
it came from: (file, row number or JSON path). Parsed values replace the raw ones in place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from quartier.api.hsds import ids

Row = dict[str, Any]
Tables = dict[str, list[Row]]

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SERVICE_STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


@dataclass
class Problem:
    file: str
    row: str
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return _("%(file)s, row %(row)s, %(field)s: %(message)s") % {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def add(self, r: Row, fld: str, message: str, severity: str = "error") -> None:
        file, at = r.get("_at", ("?", "?"))
        self.problems.append(Problem(file, str(at), fld, message, severity))


class ImportFailed(Exception):
    def __init__(self, report: Report) -> None:
        super().__init__(_("The import was rejected: %(n)d errors.") % {"n": len(report.errors)})
        self.report = report


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RowChecker:
    """Parses the fields of one row, reporting each bad value against the row."""

    def __init__(self, report: Report, r: Row) -> None:
        self.report, self.row = report, r

    def fail(self, fld: str, message: str) -> None:
        self.report.add(self.row, fld, message)

    def text(self, fld: str, max_length: int, *, required: bool = False) -> None:
        value = self.row.get(fld)
        if empty(value):
            self.row[fld] = ""
            if required:
                self.fail(fld, _("This field is required."))
            return
        value = str(value).strip()
        if len(value) > max_length:
            self.fail(fld, _("Longer than %(n)d characters.") % {"n": max_length})
        self.row[fld] = value

    def validated(self, fld: str, validator: Callable, message: str, max_length: int) -> None:
        self.text(fld, max_length)
        if self.row[fld]:
            try:
                validator(self.row[fld])
            except ValidationError:
                self.fail(fld, message)

    def email(self, fld: str) -> None:
        self.validated(fld, _email, _("Not a valid e-mail address."), 254)

    def url(self, fld: str) -> None:
        self.validated(fld, _url, _("Not a valid web address (http or https)."), 200)

    def parsed(self, fld: str, parse: Callable, message: str) -> None:
        value = self.row.get(fld)
        if empty(value):
            self.row[fld] = None
            return
        try:
            result = parse(str(value).strip())
        except (ValueError, TypeError):
            result = None
        if result is None:
            self.fail(fld, message)
        self.row[fld] = result

    def date(self, fld: str) -> None:
        self.parsed(fld, parse_date, _("Not a date (YYYY-MM-DD)."))

    def time(self, fld: str) -> None:
        self.parsed(fld, parse_time, _("Not a time (HH:MM or HH:MM:SS)."))

    def datetime(self, fld: str) -> None:
        self.parsed(fld, parse_datetime, _("Not a date and time (ISO 8601)."))

    def number(self, fld: str, low: float, high: float) -> None:
        def parse(text: str) -> float | None:
            value = float(text)
            return value if math.isfinite(value) and low <= value <= high else None

        self.parsed(
            fld, parse, _("Not a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )

    def uuid(self, fld: str, *, required: bool = False) -> None:
        value = self.row.get(fld)
        if isinstance(value, str) and UUID_RE.fullmatch(value):  # the common case, fast
            self.row[fld] = value.lower()
            return
        if empty(value):
            self.row[fld] = None
            if required:
                self.fail(fld, _("This field is required."))
            return
        parsed = ids.parse_uuid(value)
        if parsed is None:
            self.fail(fld, _("Not a valid id (a UUID is expected)."))
        self.row[fld] = str(parsed) if parsed else None


# Which fields of which table refer to which table (the foreign keys the importer follows).
REFERENCES: dict[str, dict[str, str]] = {
    "organizations": {"parent_organization_id": "organizations"},
    "services": {"organization_id": "organizations"},
    "locations": {"organization_id": "organizations"},
    "addresses": {"location_id": "locations"},
    "accessibility": {"location_id": "locations"},
    "service_at_locations": {"service_id": "services", "location_id": "locations"},
    "schedules": {
        "service_id": "services",
        "location_id": "locations",
        "service_at_location_id": "service_at_locations",
    },
    "phones": {
        "service_id": "services",
        "organization_id": "organizations",
        "contact_id": "contacts",
        "location_id": "locations",
        "service_at_location_id": "service_at_locations",
    },
    "contacts": {
        "service_id": "services",
        "organization_id": "organizations",
        "location_id": "locations",
        "service_at_location_id": "service_at_locations",
    },
    "languages": {"service_id": "services", "location_id": "locations", "phone_id": "phones"},
    "service_areas": {"service_id": "services"},
    "cost_options": {"service_id": "services"},
    "taxonomy_terms": {"taxonomy_id": "taxonomies", "parent_id": "taxonomy_terms"},
    "attributes": {"taxonomy_term_id": "taxonomy_terms"},
}
REQUIRED_REFERENCES = {
    ("services", "organization_id"),
    ("service_at_locations", "service_id"),
    ("service_at_locations", "location_id"),
    ("attributes", "taxonomy_term_id"),
    ("attributes", "link_id"),
    ("cost_options", "service_id"),
}
ATTRIBUTE_TARGETS = {
    "service": "services",
    "location": "locations",
    "schedule": "schedules",
    "organization": "organizations",
    "service_at_location": "service_at_locations",
    "contact": "contacts",
    "phone": "phones",
}


def _check_service(c: RowChecker) -> None:
    c.text("name", 250, required=True)
    for fld in ("alternate_name", "fees_description"):
        c.text(fld, 250)
    for fld in ("description", "application_process"):
        c.text(fld, 20_000)
    c.url("url")
    c.email("email")
    status = str(c.row.get("status") or "").strip()
    if status not in SERVICE_STATUSES:
        c.fail(
            "status",
            _("Must be one of: %(values)s.") % {"values": ", ".join(sorted(SERVICE_STATUSES))},
        )
    c.row["status"] = status
    c.number("minimum_age", 0, 150)
    c.number("maximum_age", 0, 150)
    low, high = c.row["minimum_age"], c.row["maximum_age"]
    if low is not None and high is not None and high < low:
        c.fail("maximum_age", _("The maximum age is below the minimum age."))
    c.date("assured_date")
    c.datetime("last_modified")


def _check_organization(c: RowChecker) -> None:
    c.text("name", 250, required=True)
    c.text("description", 20_000)
    c.email("email")
    c.url("website")


def _check_location(c: RowChecker) -> None:
    c.text("name", 250)
    c.text("transportation", 250)
    given = [not empty(c.row.get(f)) for f in ("latitude", "longitude")]
    c.number("latitude", -90, 90)
    c.number("longitude", -180, 180)
    if given[0] != given[1]:
        c.fail("latitude", _("Give both latitude and longitude, or neither."))


def _check_address(c: RowChecker) -> None:
    c.text("address_1", 200)
    c.text("postal_code", 10)
    c.text("city", 100)


def _check_schedule(c: RowChecker) -> None:
    for fld in ("valid_from", "valid_to", "dtstart"):
        c.date(fld)
    c.time("opens_at")
    c.time("closes_at")
    c.text("description", 250)
    c.text("freq", 20)
    c.text("byday", 40)
    opens, closes = c.row["opens_at"], c.row["closes_at"]
    if opens and closes and closes <= opens:
        c.fail("closes_at", _("Closes before it opens."))
    start, end = c.row["valid_from"], c.row["valid_to"]
    if start and end and end < start:
        c.fail("valid_to", _("Ends before it starts."))
    days = [d.strip().upper()[-2:] for d in c.row["byday"].split(",") if d.strip()]
    if any(d not in WEEKDAY_CODES for d in days):
        c.fail("byday", _("Unknown weekday; use MO, TU, WE, TH, FR, SA, SU."))
    c.row["byday"] = [WEEKDAY_CODES.index(d) for d in days if d in WEEKDAY_CODES]


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

FIELD_CHECKS: dict[str, Callable[[RowChecker], None]] = {
    "services": _check_service,
    "organizations": _check_organization,
    "locations": _check_location,
    "addresses": _check_address,
    "schedules": _check_schedule,
    "phones": lambda c: c.text("number", 40, required=True),
    "contacts": lambda c: (c.text("name", 200), c.email("email"), c.text("title", 150)),
    "languages": lambda c: (c.text("code", 12), c.text("name", 80)),
    "taxonomies": lambda c: (
        c.text("name", 200, required=True),
        c.url("uri"),
        c.text("version", 30),
        c.text("description", 20_000),
    ),
    "taxonomy_terms": lambda c: (
        c.text("name", 200, required=True),
        c.text("code", 60),
        c.url("term_uri"),
        c.text("description", 20_000),
    ),
    "service_at_locations": lambda c: c.text("description", 250),
    "accessibility": lambda c: c.text("description", 5_000),
    "attributes": lambda c: (c.text("value", 20_000), c.text("link_entity", 40)),
    "cost_options": lambda c: c.text("option", 40),
    "service_areas": lambda c: (c.text("name", 200), c.text("uri", 500)),
}


def check_fields(tables: Tables, report: Report) -> None:
    """Parse every row's fields; report bad values and duplicate ids."""
    for table, rows in tables.items():
        seen: set[str] = set()
        check = FIELD_CHECKS.get(table)
        for r in rows:
            c = RowChecker(report, r)
            c.uuid("id", required=True)
            if r["id"] in seen:
                c.fail("id", _("This id occurs twice in the file."))
            seen.add(r["id"])
            for fld in REFERENCES.get(table, {}):
                c.uuid(fld)
            if table == "attributes":
                c.uuid("link_id")
            if check:
                check(c)


def check_references(tables: Tables, report: Report, in_db: Callable[[str, set], set]) -> None:
    """Every id a row points to exists in the package or (already imported) in the database."""
    known = {table: {r["id"] for r in rows if r.get("id")} for table, rows in tables.items()}
    wanted: dict[str, set[str]] = {}
    for table, rows in tables.items():
        for fld, target in REFERENCES.get(table, {}).items():
            for r in rows:
                if r.get(fld) and r[fld] not in known.get(target, set()):
                    wanted.setdefault(target, set()).add(r[fld])
    for target, values in wanted.items():
        known.setdefault(target, set()).update(in_db(target, values))
    for table, rows in tables.items():
        for fld, target in REFERENCES.get(table, {}).items():
            for r in rows:
                value = r.get(fld)
                if value is None:
                    if (table, fld) in REQUIRED_REFERENCES and r.get("id"):
                        report.add(r, fld, _("This field is required."))
                elif value not in known.get(target, set()):
                    report.add(
                        r,
                        fld,
                        _(
                            "Refers to %(table)s %(id)s, which is neither in "
                            "the import nor in the database."
                        )
                        % {"table": target, "id": value},
                    )
    for r in tables.get("attributes", []):
        _check_attribute_link(report, r, known)


def _check_attribute_link(report: Report, r: Row, known: dict[str, set[str]]) -> None:
    if not r.get("link_id"):
        if r.get("id"):
            report.add(r, "link_id", _("This field is required."))
        return
    entity = r.get("link_entity") or ""
    targets = [ATTRIBUTE_TARGETS[entity]] if entity in ATTRIBUTE_TARGETS else list(known)
    if not any(r["link_id"] in known.get(t, set()) for t in targets):
        report.add(
            r,
            "link_id",
            _("Refers to %(entity)s %(id)s, which is not in the import.")
            % {"entity": entity or "?", "id": r["link_id"]},
        )


def extension_term_codes() -> dict[str, str]:
    """Extension term id → code, for the fixed extension codes (not target groups)."""
    codes = (*ids.ACCESS_CODES, ids.EASY_LANGUAGE, ids.WHEELCHAIR, ids.CLOSED)
    return {ids.extension_term_id(code): code for code in codes}
