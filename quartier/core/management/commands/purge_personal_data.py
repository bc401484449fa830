"""Apply every app's retention rules: each `quartier.<app>.retention.purge(dry_run=...)`, in
app order (docs/privacy.md). Run it daily, for example from a systemd timer or cron."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Delete personal data whose retention period is over (see docs/privacy.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count, delete nothing.")

    def handle(self, *args, **options) -> None:
        dry_run = options["dry_run"]
        counts: dict[str, int] = {}
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("quartier."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.retention")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.retention":
                        raise
                    continue
                counts.update(module.purge(dry_run=dry_run))
        verb = "Would delete" if dry_run else "Deleted"
        for what, count in counts.items():
            self.stdout.write(f"{verb} {count} {what}.")
