import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from quartier.accounts.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current code of the demo's staff logins (their published TOTP key)."

    def handle(self, *args, **options):
        code = TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token()
        seconds = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d} (valid for {seconds} more seconds)")
