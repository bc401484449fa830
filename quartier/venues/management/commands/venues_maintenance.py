"""Daily job of the venues app: extend open-ended series, erase expired requester data.

Run it once a day (cron or a systemd timer): `quartier venues_maintenance`.
"""

from django.core.management.base import BaseCommand

from quartier.venues.services import booking_erase_personal_data
from quartier.venues.tasks import extend_series


class Command(BaseCommand):
    help = "Extend open-ended booking series and erase expired requester contact data."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Change nothing; count the requests whose contact data would be erased.",
        )

    def handle(self, *args, **options) -> None:
        if options["dry_run"]:
            erased = booking_erase_personal_data(dry_run=True)
            self.stdout.write(f"venues: {erased} requests would be erased (dry run)")
            return
        series = extend_series.call()
        erased = booking_erase_personal_data()
        if options["verbosity"] > 0:
            self.stdout.write(f"venues: {series} series extended, {erased} requests erased")
