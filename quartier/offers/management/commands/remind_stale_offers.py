from django.core.management.base import BaseCommand

from quartier.offers.tasks import remind_stale_offers


class Command(BaseCommand):
    help = (
        "Remind editors by e-mail of offers not verified for 12 months. Run daily (cron); "
        "an offer is mentioned at most once per reminder interval."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send in this process instead of queueing the task for the worker.",
        )

    def handle(self, *args, **options):
        if options["now"]:
            sent = remind_stale_offers.call()
            self.stdout.write(f"{sent} reminder(s) sent.")
        else:
            result = remind_stale_offers.enqueue()
            self.stdout.write(f"Reminder task queued ({result.id}).")
