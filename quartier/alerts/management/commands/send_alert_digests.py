from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from quartier.alerts.models import Frequency
from quartier.alerts.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Queue the alert digests of one frequency (run daily and weekly from cron); the task "
        "also deletes subscriptions never confirmed within a week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=Frequency.values, required=True)

    def handle(self, *args, **options) -> None:
        result = send_digests.enqueue(options["frequency"])
        self.stdout.write(f"Queued: {result.id}")
