from django.core.management.base import BaseCommand
from django.utils import timezone

from quartier.concerns.tasks import digests_send


class Command(BaseCommand):
    help = "Send the daily digest of new concerns to staff who chose it (run once a day)."

    def handle(self, *args, **options):
        sent = digests_send(now=timezone.now())
        self.stdout.write(f"{sent} digest(s) sent")
