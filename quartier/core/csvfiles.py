"""CSV for people who open it in a spreadsheet, and back: one convention for every export.

German Excel reads a file as columns only when the separator is the list separator of the
German locale, the semicolon, and reads it as UTF-8 only with a byte order mark. So every export
writes UTF-8 with a BOM and semicolons by default; `?trennzeichen=komma` (or `sep=comma`) gives
commas for tools that expect them. Cells that a spreadsheet would take for a formula are
neutralised (`safe_cell`). `read_rows` reads such a file back (either separator, with or without
BOM, UTF-8 or Windows-1252), so what we export, our imports accept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

BOM = "\ufeff"
SEMICOLON, COMMA = ";", ","
# What spreadsheet programs read as the start of a formula (or of a DDE call): = + - @, a tab
# or a line break, and the full-width forms some of them accept as well.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: text that would start a formula gets a leading
    apostrophe (shown as text by Excel and LibreOffice, never evaluated)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def separator_for(request: HttpRequest) -> str:
    """The separator the request asks for: semicolon unless `trennzeichen=komma`/`sep=comma`."""
    asked = (request.GET.get("trennzeichen") or request.GET.get("sep") or "").lower()
    return COMMA if asked in {"komma", "comma", ","} else SEMICOLON


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    separator: str = SEMICOLON,
) -> HttpResponse:
    """An attachment `filename` with the header row and the rows, each cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


def decode(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_rows(data: bytes | str) -> list[dict[str, str]]:
    """The rows of a CSV as dicts by header, whichever separator (semicolon, comma, tab) the
    header line uses."""
    text = decode(data) if isinstance(data, bytes) else data.removeprefix(BOM)
    first = text.split("\n", 1)[0]
    separator = max((SEMICOLON, COMMA, "\t"), key=first.count)
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=separator))
