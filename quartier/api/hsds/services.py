"""HSDS import and export as services: what the commands (and any future upload view) call."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
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
    index: bool = True,
    skip_invalid: bool = False,
) -> Report:
    """Read and import an HSDS file or package; raise ImportFailed with every bad row (with
    `skip_invalid`, import the valid rows and list the others)."""
    report = Report()
    with _no_garbage_collection():
        tables = package.read_source(path, report, progress=progress)
        try:
            result = hsds_import(
                tables=tables,
                publish=publish,
                progress=progress,
                index=index,
                skip_invalid=skip_invalid,
            )
        except ImportFailed as exc:
            exc.report.problems[:0] = report.problems
            raise
    result.problems[:0] = report.problems
    return result


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """An import makes a few hundred thousand rows that all live until it ends; the cyclic
    garbage collector would walk them again and again (a tenth of the import's CPU time, see
    bench/hsds_import.py). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
