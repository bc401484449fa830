"""Import of indicator values from CSV, as German statistics offices publish them.

Accepted files (see docs/monitoring.md):
- UTF-8 with or without byte order mark, or Windows-1252; semicolon (or comma, tab) separated.
- Long form: columns area, year, indicator, value (German headers Gebiet/Schlüssel, Jahr,
  Indikator/Merkmal, Wert are understood too).
- Wide form: columns area and year, then one column per indicator key.
- Areas by official key (AGS/ARS) or by their address (slug).
- Numbers with a decimal comma and a dot, space or narrow space as thousands separator
  ("1.234,5"); a dot followed by other than groups of three digits is refused ("12.5").
- Withheld cells "." "-" "–" "x" are stored as withheld by the source.
- In the wide form an empty cell means no figure; in the long form it is an error.

Duplicates: the same indicator, area and year twice in one file is an error (both rows named);
a figure already stored is replaced (the report counts it as updated).

Nothing is written unless the whole file is valid: the report lists each bad row with its row
number (the header is row 1), column and reason.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.areas.models import Area
from quartier.core import pagecache
from quartier.core.csvfiles import read_rows
from quartier.monitoring.models import Indicator, Value

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
WITHHELD = {".", "-", "–", "x", "X"}
FIRST_YEAR = 1950
ALIASES = {
    "area": {"area", "gebiet", "schlüssel", "schluessel", "gebietsschlüssel", "ags", "ars"},
    "year": {"year", "jahr"},
    "indicator": {"indicator", "indikator", "merkmal"},
    "value": {"value", "wert"},
}
# Columns of the wide form that carry no figures (the area's name for readers).
IGNORED = {"name", "gebietsname", "bezeichnung", "area_name"}
THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
PLAIN = re.compile(r"^\d+(,\d+)?$")


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    withheld: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportError_(Exception):
    pass


def parse_number(text: str) -> Decimal:
    """A German-formatted number: "1.234,5" → 1234.5; raises ValueError with a reason."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    negative = cleaned.startswith("-") and len(cleaned) > 1
    if negative:
        cleaned = cleaned[1:]
    if THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    elif not PLAIN.match(cleaned):
        if re.match(r"^\d+\.\d+$", cleaned):
            raise ValueError(_("Use a decimal comma: a dot separates thousands."))
        raise ValueError(_("Not a number."))
    try:
        number = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above prevent it
        raise ValueError(_("Not a number.")) from exc
    if number >= Decimal("1e11"):
        raise ValueError(_("The number is too large."))
    return -number if negative else number


def _column(headers: list[str], name: str) -> str | None:
    for header in headers:
        if header.strip().lower() in ALIASES[name]:
            return header
    return None


def _read(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise ImportError_(_("The file is larger than 5 MB."))
    if not data.strip():
        raise ImportError_(_("The file is empty."))
    if b"\x00" in data:
        raise ImportError_(_("This is not a CSV text file."))
    try:
        rows = read_rows(data)
    except csv.Error as exc:
        raise ImportError_(_("The file cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    if len(rows) > MAX_ROWS:
        raise ImportError_(_("More than %(max)d rows: split the file.") % {"max": MAX_ROWS})
    return rows


def values_import(
    *, data: bytes, allowed_area_ids: set[int] | None = None, dry_run: bool = False
) -> ImportReport:
    """Check the CSV `data` and, when every row is valid (and not `dry_run`), store its values
    in one transaction. `allowed_area_ids`: the areas the importing user may write (None: all)."""
    report = ImportReport()
    try:
        rows = _read(data)
    except ImportError_ as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return report
    if not rows:
        report.problems.append(Problem(1, "", _("The file has a header but no rows.")))
        return report
    headers = [header for header in rows[0] if header is not None]
    area_col, year_col = _column(headers, "area"), _column(headers, "year")
    indicator_col, value_col = _column(headers, "indicator"), _column(headers, "value")
    for needed, col in (("area", area_col), ("year", year_col)):
        if col is None:
            report.problems.append(
                Problem(1, needed, _("The column “%(column)s” is missing.") % {"column": needed})
            )
    indicators = {indicator.slug: indicator for indicator in Indicator.objects.all()}
    long_form = indicator_col is not None or value_col is not None
    wide_cols: list[tuple[str, Indicator]] = []
    if long_form:
        if indicator_col is None or value_col is None:
            report.problems.append(
                Problem(1, "", _("The long form needs both columns “indicator” and “value”."))
            )
    else:
        for header in headers:
            key = header.strip()
            if header in (area_col, year_col) or key.lower() in IGNORED or not key:
                continue
            if key in indicators:
                wide_cols.append((header, indicators[key]))
            else:
                report.problems.append(
                    Problem(1, key, _("No indicator has the key “%(key)s”.") % {"key": key})
                )
        if not wide_cols and not report.problems:
            report.problems.append(Problem(1, "", _("The file names no indicator column.")))
    if report.problems:
        return report

    areas_by_code = _areas([row.get(area_col) or "" for row in rows])
    this_year = timezone.localdate().year
    seen: dict[tuple[int, int, int], int] = {}
    parsed: list[tuple[Indicator, Area, int, Decimal | None]] = []

    def problem(number: int, column: str, reason: str) -> None:
        report.problems.append(Problem(number, column, reason))

    for index, row in enumerate(rows, start=2):
        if None in row:
            problem(index, "", _("The row has more cells than the header."))
            continue
        if all(not (cell or "").strip() for cell in row.values()):
            continue  # an empty line
        code = (row.get(area_col) or "").strip()
        area = areas_by_code.get(code)
        if not code:
            problem(index, area_col, _("The area is missing."))
        elif area is None:
            problem(index, area_col, _("Unknown area “%(code)s”.") % {"code": code})
        elif allowed_area_ids is not None and area.pk not in allowed_area_ids:
            problem(
                index, area_col, _("You may not import figures for %(area)s.") % {"area": area.name}
            )
            area = None
        year_text = (row.get(year_col) or "").strip()
        year = int(year_text) if year_text.isdigit() else None
        if not year_text:
            problem(index, year_col, _("The year is missing."))
        elif year is None or not FIRST_YEAR <= year <= this_year:
            problem(
                index,
                year_col,
                _("“%(year)s” is not a year between %(first)d and %(last)d.")
                % {"year": year_text, "first": FIRST_YEAR, "last": this_year},
            )
            year = None
        if long_form:
            key = (row.get(indicator_col) or "").strip()
            indicator = indicators.get(key)
            if indicator is None:
                problem(
                    index, indicator_col, _("No indicator has the key “%(key)s”.") % {"key": key}
                )
            cells = [(value_col, indicator, row.get(value_col) or "")]
        else:
            cells = [(header, indicator, row.get(header) or "") for header, indicator in wide_cols]
        for column, indicator, text in cells:
            text = text.strip()
            if not text:
                if long_form:
                    problem(index, column, _("The value is missing."))
                continue
            number: Decimal | None = None
            if text not in WITHHELD:
                try:
                    number = parse_number(text)
                except ValueError as exc:
                    problem(index, column, f"“{text}”: {exc}")
                    continue
            if indicator is None or area is None or year is None:
                continue
            duplicate_key = (indicator.pk, area.pk, year)
            if duplicate_key in seen:
                problem(
                    index,
                    column,
                    _("Duplicate: %(indicator)s, %(area)s, %(year)d already in row %(row)d.")
                    % {
                        "indicator": indicator.slug,
                        "area": area.name,
                        "year": year,
                        "row": seen[duplicate_key],
                    },
                )
                continue
            seen[duplicate_key] = index
            parsed.append((indicator, area, year, number))
    if report.problems or not parsed:
        if not report.problems:
            report.problems.append(Problem(0, "", _("The file contains no figures.")))
        return report
    _store(report, parsed, dry_run=dry_run)
    return report


def _areas(codes: list[str]) -> dict[str, Area]:
    codes = sorted({code.strip() for code in codes if code and code.strip()})
    found: dict[str, Area] = {}
    for area in Area.objects.filter(slug__in=codes):
        found[area.slug] = area
    # An official key wins over a slug that happens to look the same.
    for area in Area.objects.filter(official_key__in=[c for c in codes if c.isdigit()]):
        found[area.official_key] = area
    return found


@transaction.atomic
def _store(report: ImportReport, parsed, *, dry_run: bool) -> None:
    indicator_ids = {indicator.pk for indicator, *_rest in parsed}
    area_ids = {area.pk for _indicator, area, *_rest in parsed}
    existing = {
        (value.indicator_id, value.area_id, value.year): value
        for value in Value.objects.select_for_update().filter(
            indicator_id__in=indicator_ids, area_id__in=area_ids
        )
    }
    new: list[Value] = []
    changed: list[Value] = []
    for indicator, area, year, number in parsed:
        report.withheld += number is None
        value = existing.get((indicator.pk, area.pk, year))
        if value is None:
            new.append(
                Value(
                    indicator=indicator,
                    area=area,
                    year=year,
                    value=number,
                    suppressed=number is None,
                )
            )
        else:
            value.value, value.suppressed = number, number is None
            value.updated_at = timezone.now()
            changed.append(value)
    report.created, report.updated = len(new), len(changed)
    if dry_run:
        return
    Value.objects.bulk_create(new, batch_size=1000)
    Value.objects.bulk_update(changed, ["value", "suppressed", "updated_at"], batch_size=1000)
    report.written = True
    pagecache.bump_after_commit()  # bulk writes send no signals
