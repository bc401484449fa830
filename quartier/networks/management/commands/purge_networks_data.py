from django.core.management.base import BaseCommand

from quartier.networks.retention import purge


class Command(BaseCommand):
    help = "Delete decided join requests, old delegations and revoked feed tokens (run daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count, delete nothing.")

    def handle(self, *args, **options):
        counts = purge(dry_run=options["dry_run"])
        if options["verbosity"] >= 1:
            prefix = "would delete: " if options["dry_run"] else ""
            self.stdout.write(
                prefix + ", ".join(f"{key}: {value}" for key, value in counts.items())
            )
