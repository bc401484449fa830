"""Checks of HSDS rows before anything is written: every bad row is reported, none is skipped.

A row is a dict of HSDS fields (strings from CSV, JSON values from JSON) plus `_at`, the place
it came from: (file, row number or JSON path). Parsed values replace the raw ones in place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    # The row itself (for --skip-invalid, which leaves out the rows with errors).
    record: dict | None = field(default=None, repr=False, compare=False)

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
    # Rows left out per table (--skip-invalid): those with errors and those referring to them.
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def add(self, r: Row, fld: str, message: str, severity: str = "error") -> None:
        file, at = r.get("_at", ("?", "?"))
        self.problems.append(Problem(file, str(at), fld, message, severity, r))


class ImportFailed(Exception):
    def __init__(self, report: Report) -> None:
        super().__init__(_("The import was rejected: %(n)d errors.") % {"n": len(report.errors)})
        self.report = report


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Messages are translated only when a value fails (gettext per cell cost more than the checks).
REQUIRED = gettext_lazy("This field is required.")
TOO_LONG = gettext_lazy("Longer than %(n)d characters.")
NOT_EMAIL = gettext_lazy("Not a valid e-mail address.")
NOT_URL = gettext_lazy("Not a valid web address (http or https).")
URL_REPAIRED = gettext_lazy("Not a valid web address: %(value)s; read as %(url)s.")
URL_DROPPED = gettext_lazy("Not a valid web address: %(value)s; the link was left out.")
NOT_DATE = gettext_lazy("Not a date (YYYY-MM-DD).")
NOT_TIME = gettext_lazy("Not a time (HH:MM or HH:MM:SS).")
NOT_DATETIME = gettext_lazy("Not a date and time (ISO 8601).")
NOT_NUMBER = gettext_lazy("Not a number between %(low)s and %(high)s.")
NOT_UUID = gettext_lazy("Not a valid id (a UUID is expected).")
TWICE = gettext_lazy("This id occurs twice in the file.")

# Plain addresses up to 253 characters that Django's validators accept for certain (a strict
# subset of their grammar, checked in tests/hsds/test_import.py); anything else goes to the
# validator itself, which costs about twenty times as much per value.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+[A-Za-z]{{2,63}}"
PLAIN_EMAIL_RE = re.compile(rf"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@{_HOST}")
PLAIN_URL_RE = re.compile(rf"https?://{_HOST}(?:[/?#][!-~]*)?")


# "http://https:/www.example.org", "https//example.org", "http:/example.org": the scheme the
# writer meant (the last one written), then the rest.
_SCHEMES_RE = re.compile(r"(?:(?:https?)\s*[:/]+\s*)*(https?)\s*(?::/*|//+)\s*(.*)", re.I)
_BARE_HOST_RE = re.compile(rf"{_HOST}(?::\d{{1,5}})?(?:[/?#][!-~]*)?")


def repair_url(value: str) -> str:
    """The address a malformed web address unambiguously means, or "" (left out).

    A doubled or mistyped scheme keeps the last scheme given; a bare host name
    ("www.example.org/angebote") gets https://, as browsers assume today. Anything else (other
    schemes, spaces, no host) is not guessed at."""
    text = value.strip()
    match = _SCHEMES_RE.fullmatch(text)
    if match:
        candidate = f"{match.group(1).lower()}://{match.group(2).lstrip('/')}"
    elif _BARE_HOST_RE.fullmatch(text):
        candidate = f"https://{text}"
    else:
        return ""
    if len(candidate) > 200:
        return ""
    try:
        _url(candidate)
    except ValidationError:
        return ""
    return candidate


class ColumnChecker:
    """Parses the rows of one table column by column, replacing raw values with parsed ones.

    Checking a column in one loop (and a column of ids with one regex) is several times faster
    than a method call per cell. Problems are collected with their row and handed to the report
    in row order, each row's in the order the checks ran, as if checked row by row.
    """

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.found: list[tuple[int, int, str, Any, dict | None, str]] = []

    def fail(self, i: int, fld: str, message: Any, params: dict | None = None) -> None:
        self.found.append((i, len(self.found), fld, message, params, "error"))

    def warn(self, i: int, fld: str, message: Any, params: dict | None = None) -> None:
        """An odd but valid value, kept (or repaired) and reported."""
        self.found.append((i, len(self.found), fld, message, params, "warning"))

    def report_to(self, report: Report) -> None:
        for i, _n, fld, message, params, severity in sorted(self.found, key=lambda f: f[:2]):
            text = str(message) % params if params else str(message)
            report.add(self.rows[i], fld, text, severity)

    def text(self, fld: str, max_length: int | None, *, required: bool = False) -> None:
        """Trimmed text; `max_length` None where our column has no limit (as HSDS has none)."""
        for i, r in enumerate(self.rows):
            value = r.get(fld)
            if value is not None and value.__class__ is not str:
                value = str(value)
            if value:
                value = value.strip()
            if not value:
                r[fld] = ""
                if required:
                    self.fail(i, fld, REQUIRED)
                continue
            if max_length is not None and len(value) > max_length:
                self.fail(i, fld, TOO_LONG, {"n": max_length})
            r[fld] = value

    def validated(
        self, fld: str, plain: re.Pattern, validator: Callable, message: Any, max_length: int
    ) -> None:
        self.text(fld, max_length)
        bad = set()
        for value in {r[fld] for r in self.rows}:
            if value and not (len(value) <= 253 and plain.fullmatch(value)):
                try:
                    validator(value)
                except ValidationError:
                    bad.add(value)
        if bad:
            for i, r in enumerate(self.rows):
                if r[fld] in bad:
                    self.fail(i, fld, message)

    def email(self, fld: str) -> None:
        self.validated(fld, PLAIN_EMAIL_RE, _email, NOT_EMAIL, 254)

    def url(self, fld: str) -> None:
        """Web addresses, leniently: a malformed one is a warning, not a reason to reject the
        record; it is repaired where the intended address is unambiguous (repair_url), else
        left out."""
        self.text(fld, 200)
        bad: dict[str, str] = {}
        for value in {r[fld] for r in self.rows}:
            if value and not (len(value) <= 253 and PLAIN_URL_RE.fullmatch(value)):
                try:
                    _url(value)
                except ValidationError:
                    bad[value] = repair_url(value)
        if not bad:
            return
        for i, r in enumerate(self.rows):
            value = r[fld]
            if value not in bad:
                continue
            repaired = bad[value]
            r[fld] = repaired
            if repaired:
                self.warn(i, fld, URL_REPAIRED, {"value": value, "url": repaired})
            else:
                self.warn(i, fld, URL_DROPPED, {"value": value})

    def parsed(self, fld: str, parse: Callable, message: Any, params: dict | None = None) -> None:
        cache: dict[str, Any] = {}  # imports repeat dates and times a lot
        for i, r in enumerate(self.rows):
            value = r.get(fld)
            if value is None:
                r[fld] = None
                continue
            if value.__class__ is str and value in cache:
                result = cache[value]
            else:
                text = str(value).strip()
                if not text:
                    r[fld] = None
                    continue
                try:
                    result = parse(text)
                except (ValueError, TypeError):
                    result = None
                if value.__class__ is str:
                    cache[value] = result
            if result is None:
                self.fail(i, fld, message, params)
            r[fld] = result

    def date(self, fld: str) -> None:
        self.parsed(fld, parse_date, NOT_DATE)

    def time(self, fld: str) -> None:
        self.parsed(fld, parse_time, NOT_TIME)

    def datetime(self, fld: str) -> None:
        self.parsed(fld, parse_datetime, NOT_DATETIME)

    def number(self, fld: str, low: float, high: float) -> None:
        def parse(text: str) -> float | None:
            value = float(text)
            return value if math.isfinite(value) and low <= value <= high else None

        self.parsed(fld, parse, NOT_NUMBER, {"low": low, "high": high})

    def uuid(self, fld: str, *, required: bool = False) -> None:
        """Canonical lower-case UUID strings, or None for an empty value."""
        values = [r.get(fld) for r in self.rows]
        present = [v for v in values if v is not None]
        try:
            column = "\n".join(present)
        except TypeError:  # a JSON number or the like: checked cell by cell below
            column = ""
        if not present or ids.is_uuid_column(column, len(present), any_case=True):
            lowered = column.lower()
            if len(present) == len(values) and lowered == column:
                return  # the common case: every row has a canonical lower-case id
            parts = iter(lowered.split("\n"))
            for i, (r, value) in enumerate(zip(self.rows, values, strict=True)):
                if value is not None:
                    r[fld] = next(parts)
                    continue
                r[fld] = None
                if required:
                    self.fail(i, fld, REQUIRED)
            return
        for i, (r, value) in enumerate(zip(self.rows, values, strict=True)):
            if isinstance(value, str) and UUID_RE.fullmatch(value):
                r[fld] = value.lower()
            elif empty(value):
                r[fld] = None
                if required:
                    self.fail(i, fld, REQUIRED)
            else:
                parsed = ids.parse_uuid(value)
                if parsed is None:
                    self.fail(i, fld, NOT_UUID)
                r[fld] = str(parsed) if parsed else None

    def unique(self, fld: str) -> None:
        values = [r[fld] for r in self.rows if r[fld] is not None]
        if len(set(values)) == len(values):
            return
        seen: set[str] = set()
        for i, r in enumerate(self.rows):
            if r[fld] is not None and r[fld] in seen:
                self.fail(i, fld, TWICE)
            seen.add(r[fld])


# Which fields of which table refer to which table (the foreign keys the importer follows).
REFERENCES: dict[str, dict[str, str]] = {
    "organizations": {"parent_organization_id": "organizations"},
    "services": {"organization_id": "organizations", "program_id": "programs"},
    "programs": {"organization_id": "organizations"},
    "funding": {"organization_id": "organizations", "service_id": "services"},
    "required_documents": {"service_id": "services"},
    "organization_identifiers": {"organization_id": "organizations"},
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
# References that may dangle: a JSON array of services carries each taxonomy term without its
# ancestors (and sometimes without its taxonomy). The term is kept and a warning says so: without
# its parent, and with its taxonomy made from the id alone (write_taxonomies).
LENIENT_REFERENCES = {("taxonomy_terms", "parent_id"), ("taxonomy_terms", "taxonomy_id")}
ATTRIBUTE_TARGETS = {
    "service": "services",
    "location": "locations",
    "schedule": "schedules",
    "organization": "organizations",
    "service_at_location": "service_at_locations",
    "contact": "contacts",
    "phone": "phones",
}


def _check_service(c: ColumnChecker) -> None:
    c.text("name", 250, required=True)
    for fld in ("alternate_name", "fees_description"):
        c.text(fld, 250)
    for fld in ("description", "application_process"):
        c.text(fld, 20_000)
    c.url("url")
    c.email("email")
    for i, r in enumerate(c.rows):
        status = str(r.get("status") or "").strip()
        if status not in SERVICE_STATUSES:
            values = ", ".join(sorted(SERVICE_STATUSES))
            c.fail(i, "status", gettext_lazy("Must be one of: %(values)s."), {"values": values})
        r["status"] = status
    c.number("minimum_age", 0, 150)
    c.number("maximum_age", 0, 150)
    for i, r in enumerate(c.rows):
        low, high = r["minimum_age"], r["maximum_age"]
        if low is not None and high is not None and high < low:
            c.fail(i, "maximum_age", gettext_lazy("The maximum age is below the minimum age."))
    c.date("assured_date")
    c.datetime("last_modified")


def _check_organization(c: ColumnChecker) -> None:
    c.text("name", 250, required=True)
    c.text("description", 20_000)
    c.email("email")
    c.url("website")


def _check_location(c: ColumnChecker) -> None:
    c.text("name", 250)
    c.text("transportation", None)
    one_sided = [
        i for i, r in enumerate(c.rows) if empty(r.get("latitude")) != empty(r.get("longitude"))
    ]
    c.number("latitude", -90, 90)
    c.number("longitude", -180, 180)
    for i in one_sided:
        c.fail(i, "latitude", gettext_lazy("Give both latitude and longitude, or neither."))


def _check_address(c: ColumnChecker) -> None:
    c.text("address_1", 200)
    c.text("postal_code", 10)
    c.text("city", 100)


def _check_schedule(c: ColumnChecker) -> None:
    for fld in ("valid_from", "valid_to", "dtstart"):
        c.date(fld)
    c.time("opens_at")
    c.time("closes_at")
    c.text("description", None)
    c.text("freq", 20)
    c.text("byday", 40)
    weekdays: dict[str, tuple[list[int], bool]] = {}
    for i, r in enumerate(c.rows):
        opens, closes = r["opens_at"], r["closes_at"]
        if opens and closes and closes <= opens and closes != dt.time(0, 0):
            # Night shelters, hotlines: kept as hours past midnight (Schedule.overnight).
            c.warn(
                i,
                "closes_at",
                gettext_lazy("Closes at or before it opens: read as open past midnight."),
            )
        start, end = r["valid_from"], r["valid_to"]
        if start and end and end < start:
            c.fail(i, "valid_to", gettext_lazy("Ends before it starts."))
        byday = r["byday"]
        if byday not in weekdays:
            days = [d.strip().upper()[-2:] for d in byday.split(",") if d.strip()]
            known = [WEEKDAY_CODES.index(d) for d in days if d in WEEKDAY_CODES]
            weekdays[byday] = (known, len(known) == len(days))
        days, valid = weekdays[byday]
        if not valid:
            c.fail(i, "byday", gettext_lazy("Unknown weekday; use MO, TU, WE, TH, FR, SA, SU."))
        r["byday"] = list(days)


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

FIELD_CHECKS: dict[str, Callable[[ColumnChecker], None]] = {
    "services": _check_service,
    "organizations": _check_organization,
    "locations": _check_location,
    "addresses": _check_address,
    "schedules": _check_schedule,
    "phones": lambda c: c.text("number", 40, required=True),
    "contacts": lambda c: (c.text("name", 200), c.email("email"), c.text("title", 150)),
    "languages": lambda c: (c.text("code", 12), c.text("name", None)),
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
    "service_at_locations": lambda c: c.text("description", None),
    "accessibility": lambda c: c.text("description", 5_000),
    "attributes": lambda c: (c.text("value", 20_000), c.text("link_entity", 40)),
    "cost_options": lambda c: c.text("option", 40),
    "service_areas": lambda c: (c.text("name", 200), c.text("uri", 500)),
}


def check_fields(
    tables: Tables, report: Report, progress: Callable[[str, int, int], None] | None = None
) -> None:
    """Parse every row's fields; report bad values and duplicate ids."""
    total, done = sum(len(rows) for rows in tables.values()), 0
    if progress:
        progress("check", 0, total)
    for table, rows in tables.items():
        c = ColumnChecker(rows)
        c.uuid("id", required=True)
        c.unique("id")
        for fld in REFERENCES.get(table, {}):
            c.uuid(fld)
        if table == "attributes":
            c.uuid("link_id")
        check = FIELD_CHECKS.get(table)
        if check:
            check(c)
        c.report_to(report)
        done += len(rows)
        if progress:
            progress("check", done, total)


def check_references(tables: Tables, report: Report, in_db: Callable[[str, set], set]) -> None:
    """Every id a row points to exists in the package or (already imported) in the database."""
    known = {table: {r["id"] for r in rows if r.get("id")} for table, rows in tables.items()}
    columns: dict[tuple[str, str], set[Any]] = {}
    wanted: dict[str, set[str]] = {}
    for table, rows in tables.items():
        for fld, target in REFERENCES.get(table, {}).items():
            values = columns[table, fld] = {r.get(fld) for r in rows}
            missing = {v for v in values if v} - known.get(target, set())
            if missing:
                wanted.setdefault(target, set()).update(missing)
    for target, values in wanted.items():
        known.setdefault(target, set()).update(in_db(target, values))
    for table, rows in tables.items():
        for fld, target in REFERENCES.get(table, {}).items():
            values, targets = columns[table, fld], known.get(target, set())
            required = (table, fld) in REQUIRED_REFERENCES
            if (None not in values or not required) and values - {None} <= targets:
                continue  # the common case: every reference found
            for r in rows:
                value = r.get(fld)
                if value is None:
                    if required and r.get("id"):
                        report.add(r, fld, _("This field is required."))
                elif value not in targets and (table, fld) in LENIENT_REFERENCES:
                    report.add(
                        r,
                        fld,
                        _(
                            "Refers to %(table)s %(id)s, which is neither in the import nor "
                            "in the database; kept without it."
                        )
                        % {"table": target, "id": value}
                        if fld == "parent_id"
                        else _(
                            "Refers to %(table)s %(id)s, which is neither in the import nor "
                            "in the database; the term is kept in a taxonomy of that id."
                        )
                        % {"table": target, "id": value},
                        "warning",
                    )
                    if fld == "parent_id":
                        r["_dangling_parent_id"] = value
                        r[fld] = None
                elif value not in targets:
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
