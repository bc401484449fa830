from django.core.management.base import BaseCommand

from quartier.events.tasks import send_shift_reminders


class Command(BaseCommand):
    help = "Send the reminder mail to helpers whose shift is tomorrow (run once a day)."

    def handle(self, *args, **options):
        sent = send_shift_reminders.call()
        self.stdout.write(f"{sent} reminder(s) sent.")
