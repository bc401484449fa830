from django.core.management.base import BaseCommand

from quartier.events import retention
from quartier.events.tasks import purge_expired_personal_data


class Command(BaseCommand):
    help = (
        "Delete registrations and helper sign-ups of events that ended more than "
        "QUARTIER_EVENTS_RETENTION_DAYS ago (run once a day)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count, delete nothing.")

    def handle(self, *args, **options):
        days = retention.retention_days()
        if options["dry_run"]:
            counts = retention.purge(dry_run=True)
            total = sum(counts.values())
            self.stdout.write(f"{total} record(s) older than {days} days would be deleted.")
            return
        deleted = purge_expired_personal_data.call()
        self.stdout.write(f"{deleted} record(s) older than {days} days deleted.")
