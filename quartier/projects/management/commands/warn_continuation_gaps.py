from django.core.management.base import BaseCommand

from quartier.projects.tasks import warn_continuation_gaps


class Command(BaseCommand):
    help = (
        "Mail coordinators the continuation tasks ending within six months without a "
        "successor (run once a day; each task is mailed at most weekly)."
    )

    def handle(self, *args, **options):
        warned = warn_continuation_gaps.call()
        self.stdout.write(f"{warned} task(s) warned about.")
