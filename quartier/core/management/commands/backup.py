"""`quartier backup ARCHIVE`: the database and the media files in one archive with a manifest
of row counts and checksums (core/backup.py, docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quartier.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive (tar.gz with a manifest)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="Archive to write (default: quartier-backup-<time>.tar.gz here).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, **options) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        archive = Path(options["archive"] or f"quartier-backup-{stamp}.tar.gz")
        try:
            manifest = backup(archive, using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{archive}: {manifest['engine']} database, {len(manifest['tables'])} tables, "
            f"{rows} rows, {len(manifest['media'])} media files."
        )
