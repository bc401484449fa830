from django.core.management.base import BaseCommand

from quartier.networks.tasks import send_action_item_reminders


class Command(BaseCommand):
    help = "Queue reminders for network action items that come due within a week (run daily)."

    def handle(self, *args, **options):
        result = send_action_item_reminders.enqueue()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Reminders queued ({result.id}).")
