"""`quartier restore ARCHIVE`: restore a `quartier backup` archive and check it against its
manifest (core/backup.py, docs/operations.md).

By default into the configured database and MEDIA_ROOT, which must be empty (a SQLite file
that does not exist yet, an empty media directory) unless --force. --database-url and
--media-root restore elsewhere, for example to test a backup on another machine."""

from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quartier.core.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = "Restore a backup archive (database and media files) and verify it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--database-url",
            help="Restore into this database (sqlite:///path or postgres://...) instead.",
        )
        parser.add_argument("--media-root", help="Restore the media files here instead.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over an existing database and media directory.",
        )

    def handle(self, *args, **options) -> None:
        if options["database_url"]:
            database = environ.Env.db_url_config(options["database_url"])
        else:
            database = settings.DATABASES["default"]
        target = Target(
            database=database, media_root=Path(options["media_root"] or settings.MEDIA_ROOT)
        )
        try:
            manifest = restore(Path(options["archive"]), target=target, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored and verified: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files (backup of {manifest['created_at']})."
        )
