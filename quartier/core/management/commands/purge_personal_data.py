"""Apply every app's retention rules: each `quartier.<app>.retention.purge(dry_run=...)`, in
app order (docs/privacy.md). Run it daily, for example from a systemd timer or cron.

A `purge()` without a `dry_run` parameter is called as it is, and skipped on a dry run."""

import inspect

from django.core.management.base import BaseCommand
from django.db import transaction

from quartier.core.registry import app_modules


class Command(BaseCommand):
    help = "Delete personal data whose retention period is over (see docs/privacy.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count, delete nothing.")

    def handle(self, *args, **options) -> None:
        dry_run = options["dry_run"]
        counts: dict[str, int] = {}
        with transaction.atomic():
            for config, module in app_modules("retention"):
                purge = getattr(module, "purge", None)
                if purge is None:
                    continue
                if "dry_run" in inspect.signature(purge).parameters:
                    counts.update(purge(dry_run=dry_run))
                elif dry_run:
                    self.stdout.write(f"{config.label}: no dry run available, skipped.")
                else:
                    counts.update(purge())
        verb = "Would delete" if dry_run else "Deleted"
        for what, count in counts.items():
            self.stdout.write(f"{verb} {count} {what}.")
