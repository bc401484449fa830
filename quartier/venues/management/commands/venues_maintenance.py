"""Daily job of the venues app: extend open-ended series, erase expired requester data.

Run it once a day (cron or a systemd timer): `quartier venues_maintenance`.
"""

from django.core.management.base import BaseCommand

from quartier.venues.services import booking_erase_personal_data
from quartier.venues.tasks import extend_series


class Command(BaseCommand):
    help = "Extend open-ended booking series and erase expired requester contact data."

    def handle(self, *args, **options) -> None:
        series = extend_series.call()
        erased = booking_erase_personal_data()
        if options["verbosity"] > 0:
            self.stdout.write(f"venues: {series} series extended, {erased} requests erased")
