from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from quartier.api.hsds.importer import STEPS
from quartier.api.hsds.services import catalogue_import
from quartier.api.hsds.validate import ImportFailed


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data (a JSON file, or a data package folder or its datapackage.json). "
        "All or nothing: any bad row rejects the whole import and is listed with file, row, "
        "field and reason; with --skip-invalid the valid rows are imported and the others "
        "listed. Odd but valid values are kept and listed as warnings. Re-importing updates "
        "by HSDS id. Offers are published, since the "
        "command is run by the platform's operators; --review sends them to review instead. "
        "Shows a progress bar for each step (reading, checking, writing, search index) on "
        "standard error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--review",
            action="store_true",
            help="import offers as 'in review' instead of published",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows; leave out (and list) the bad ones and rows referring "
            "to them",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="no progress bars (also off with --verbosity 0)",
        )

    def handle(self, *args, **options) -> None:
        show = not options["no_progress"] and options["verbosity"] > 0
        # tqdm writes carriage returns; Django's OutputWrapper would end each write with a newline.
        stream = getattr(self.stderr, "_out", sys.stderr)
        bars: dict[str, tqdm] = {}

        def close() -> None:
            for bar in bars.values():
                bar.close()

        def progress(step: str, done: int, total: int) -> None:
            if not show:
                return
            if step not in bars:
                close()
                label, unit = STEPS[step]
                bars[step] = tqdm(total=total, desc=str(label), unit=f" {unit}", file=stream)
            bar = bars[step]
            bar.update(done - bar.n)

        try:
            report = catalogue_import(
                path=options["path"],
                publish=not options["review"],
                progress=progress,
                skip_invalid=options["skip_invalid"],
            )
        except ImportFailed as exc:
            close()
            for problem in exc.report.problems:
                self.stderr.write(f"{problem.severity}: {problem}")
            raise CommandError(str(exc)) from exc
        finally:
            close()
        for problem in report.problems:
            self.stderr.write(f"{problem.severity}: {problem}")
        summary = ", ".join(f"{n} {table}" for table, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))
        if report.skipped:
            left_out = ", ".join(f"{n} {table}" for table, n in report.skipped.items())
            self.stdout.write(self.style.WARNING(f"Left out: {left_out}"))
