from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quartier.api.hsds.services import catalogue_import
from quartier.api.hsds.validate import ImportFailed


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data (a JSON file, or a data package folder or its datapackage.json). "
        "All or nothing: any bad row rejects the whole import and is listed with file, row, "
        "field and reason. Re-importing updates by HSDS id. Offers are published, since the "
        "command is run by the platform's operators; --review sends them to review instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--review",
            action="store_true",
            help="import offers as 'in review' instead of published",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        bar = None

        def progress(n: int) -> None:
            nonlocal bar
            if bar is None:
                from tqdm import tqdm

                bar = tqdm(
                    total=total[0] if total else None,
                    unit="offers",
                    file=sys.stderr,
                    disable=options["no_progress"],
                )
            bar.update(n)

        total: list[int] = []
        try:
            report = catalogue_import(
                path=options["path"], publish=not options["review"], progress=progress, total=total
            )
        except ImportFailed as exc:
            for problem in exc.report.problems:
                self.stderr.write(f"{problem.severity}: {problem}")
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        for problem in report.problems:
            self.stderr.write(f"{problem.severity}: {problem}")
        summary = ", ".join(f"{n} {table}" for table, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))
