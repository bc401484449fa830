from django.core.management.base import BaseCommand, CommandError

from quartier.accounts.security import login_unlock


class Command(BaseCommand):
    help = "Lift the login lockout (django-axes) of a username and/or a client address."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="", help="the username to unlock")
        parser.add_argument("--ip", default="", help="the client address to unlock")

    def handle(self, *args, **options):
        username, address = options["username"].strip(), options["ip"].strip()
        if not (username or address):
            raise CommandError("Name --username or --ip (or both).")
        count = login_unlock(by=None, username=username, ip_address=address, via="unlock_login")
        self.stdout.write(f"Unlocked ({count} records of failed logins removed).")
