"""Import indicator values from a CSV file: `python -m quartier import_indicators FILE`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartier.monitoring import services


class Command(BaseCommand):
    help = "Import statistical figures per area and year from a CSV file (all or nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only check the file.")

    def handle(self, *args, path: Path, dry_run: bool, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        report = services.values_import(data=data, dry_run=dry_run)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"row {problem.row}, {problem.column or '-'}: {problem.reason}")
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report.created} new and {report.updated} replaced figures {verb} imported "
            f"({report.withheld} withheld by the source)."
        )
