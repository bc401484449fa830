from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from quartier.api.hsds.services import catalogue_export


class Command(BaseCommand):
    help = (
        "Export the public catalogue as HSDS 3.0: --format json writes one JSON file, "
        "--format csv a tabular data package (a folder with CSV files and datapackage.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("out", type=Path, help="JSON file or package folder to write")

    def handle(self, *args, **options) -> None:
        counts = catalogue_export(path=options["out"], fmt=options["format"])
        summary = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"{options['out']}: {summary}"))
