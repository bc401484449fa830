"""HSDS import and export as services: what the commands (and any future upload view) call."""

from __future__ import annotations

from pathlib import Path

from quartier.api.hsds import package
from quartier.api.hsds.export import build_tables
from quartier.api.hsds.importer import Progress, hsds_import
from quartier.api.hsds.validate import ImportFailed, Report
from quartier.offers.models import Offer


def catalogue_export(*, path: Path, fmt: str) -> dict[str, int]:
    """Write the public catalogue as HSDS JSON (a file) or as a data package (a folder)."""
    tables = build_tables(Offer.objects.public())
    if fmt == "json":
        package.write_json(tables, path)
    elif fmt == "csv":
        package.write_package(tables, path)
    else:
        raise ValueError(fmt)
    return {table: len(rows) for table, rows in tables.items()}


def catalogue_import(
    *,
    path: Path,
    publish: bool,
    progress: Progress | None = None,
    total: list[int] | None = None,
    index: bool = True,
) -> Report:
    """Read and import an HSDS file or package; raise ImportFailed with every bad row."""
    report = Report()
    tables = package.read_source(path, report)
    if total is not None:
        total.append(len(tables.get("services", [])))
    try:
        result = hsds_import(tables=tables, publish=publish, progress=progress, index=index)
    except ImportFailed as exc:
        exc.report.problems[:0] = report.problems
        raise
    result.problems[:0] = report.problems
    return result
