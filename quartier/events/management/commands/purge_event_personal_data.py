from django.core.management.base import BaseCommand

from quartier.events.tasks import purge_expired_personal_data, retention_days


class Command(BaseCommand):
    help = (
        "Delete registrations and helper sign-ups of events that ended more than "
        "QUARTIER_EVENTS_RETENTION_DAYS ago (run once a day)."
    )

    def handle(self, *args, **options):
        deleted = purge_expired_personal_data.call()
        self.stdout.write(f"{deleted} record(s) older than {retention_days()} days deleted.")
