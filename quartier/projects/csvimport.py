"""Reading German CSV files of measurements: semicolon, decimal comma, UTF-8 (with or without
BOM) or Windows-1252, a header row `Kennzahl;Datum;Wert` (or `indicator;date;value`).

`parse(data, codes)` returns the rows it understood and a list of problems, each with its line
number; the service writes nothing when there is a problem (all or nothing).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from quartier.core.csvfiles import decode

HEADERS = {
    "code": {"kennzahl", "indikator", "indicator", "code"},
    "date": {"datum", "date", "jahr", "year", "stichtag"},
    "value": {"wert", "value"},
}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
# 1.234,5 or 1234,5 or 1234 or -3,25 (German); a point alone as decimal mark is rejected, since
# "1.234" is ambiguous (one thousand two hundred thirty-four in German, 1.234 in English).
GERMAN_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    date: datetime.date
    value: Decimal


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


def parse_number(text: str) -> Decimal | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not GERMAN_NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def parse_date(text: str) -> datetime.date | None:
    """31.12.2024, 2024-12-31 or a year alone (taken as 31 December)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return datetime.date(year, 12, 31) if 1900 <= year <= 2200 else None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse(data: bytes, codes: set[str]) -> tuple[list[Row], list[Problem]]:
    if len(data) > MAX_BYTES:
        return [], [Problem(0, _("The file is larger than 2 MB."))]
    try:
        text = decode(data)  # UTF-8 (a BOM is dropped), else Windows-1252
    except UnicodeDecodeError:
        text = "\ufffd"
    if "\ufffd" in text or "\x00" in text:
        return [], [Problem(0, _("The file is not a text file in UTF-8 or Windows-1252."))]
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [Problem(0, _("The file is empty."))]
    columns = _columns(header)
    if columns is None:
        return [], [Problem(1, _("The first line must name the columns Kennzahl;Datum;Wert."))]
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    try:
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if line > MAX_ROWS + 1:
                problems.append(Problem(line, _("More than 20,000 rows; split the file.")))
                break
            row = _row(line, record, columns, codes, problems)
            if row is None:
                continue
            key = (row.code, row.date)
            if key in seen:
                problems.append(
                    Problem(
                        line,
                        _("%(code)s on %(date)s appears already in line %(first)s.")
                        % {
                            "code": row.code,
                            "date": row.date.strftime("%d.%m.%Y"),
                            "first": seen[key],
                        },
                    )
                )
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, _("Unreadable CSV: %s") % exc))
    return rows, problems


def _columns(header: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    found = {}
    for key, options in HEADERS.items():
        for index, name in enumerate(names):
            if name in options:
                found[key] = index
                break
    return found if len(found) == len(HEADERS) else None


def _row(line, record, columns, codes, problems) -> Row | None:
    def cell(key: str) -> str:
        index = columns[key]
        return record[index].strip() if index < len(record) else ""

    code, date_text, value_text = cell("code"), cell("date"), cell("value")
    before = len(problems)
    if code not in codes:
        problems.append(Problem(line, _("Unknown indicator “%s”.") % code))
    date = parse_date(date_text)
    if date is None:
        problems.append(
            Problem(line, _("“%s” is not a date (31.12.2024, 2024-12-31 or 2024).") % date_text)
        )
    value = parse_number(value_text)
    if value is None:
        problems.append(
            Problem(line, _("“%s” is not a number (German notation: 1.234,5).") % value_text)
        )
    if len(problems) > before:
        return None
    return Row(line, code, date, value)
