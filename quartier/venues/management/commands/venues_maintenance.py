"""Daily job of the venues app: extend open-ended series, erase expired requester data, delete
requests never confirmed by their mailed link.

Run it once a day (cron or a systemd timer): `quartier venues_maintenance`.
"""

from django.core.management.base import BaseCommand

from quartier.venues import retention
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
            counts = retention.purge(dry_run=True)
            erased = counts["room requesters' contact data"]
            unconfirmed = counts["unconfirmed room requests"]
            self.stdout.write(
                f"venues: {erased} requests would be erased, {unconfirmed} unconfirmed "
                "requests deleted (dry run)"
            )
            return
        series = extend_series.call()
        counts = retention.purge()
        erased = counts["room requesters' contact data"]
        unconfirmed = counts["unconfirmed room requests"]
        if options["verbosity"] > 0:
            self.stdout.write(
                f"venues: {series} series extended, {erased} requests erased, "
                f"{unconfirmed} unconfirmed requests deleted"
            )
