from django.core.management.base import BaseCommand

from quartier.networks.retention import purge


class Command(BaseCommand):
    help = "Delete decided join requests, old delegations and revoked feed tokens (run daily)."

    def handle(self, *args, **options):
        counts = purge()
        if options["verbosity"] >= 1:
            self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
