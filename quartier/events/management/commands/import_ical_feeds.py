from django.core.management.base import BaseCommand

from quartier.events.importer import feed_import
from quartier.events.models import IcalFeed
from quartier.events.tasks import import_ical_feeds


class Command(BaseCommand):
    help = (
        "Pull the member organisations' iCal feeds into the public calendar (cron-able; "
        "idempotent by UID). With --enqueue, only queue the django-tasks task."
    )

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, help="Import only the feed with this id.")
        parser.add_argument("--enqueue", action="store_true", help="Queue the task and return.")

    def handle(self, *args, **options):
        if options["enqueue"]:
            import_ical_feeds.enqueue()
            self.stdout.write("Queued.")
            return
        feeds = IcalFeed.objects.filter(is_active=True).select_related("organisation")
        if options["feed"]:
            feeds = feeds.filter(pk=options["feed"])
        failed = 0
        for feed in feeds:
            result = feed_import(feed=feed)
            if result.error:
                failed += 1
                self.stderr.write(f"{feed}: {result.error}")
            else:
                self.stdout.write(
                    f"{feed}: {result.created} new, {result.updated} changed, "
                    f"{result.cancelled} cancelled, {result.unchanged} unchanged"
                )
        if failed:
            self.stderr.write(f"{failed} feed(s) failed; the error is recorded on each feed.")
