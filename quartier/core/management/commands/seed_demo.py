from django.core.management.base import BaseCommand
from django.db import transaction

from quartier.core import pagecache
from quartier.core.demo import DEMO_PASSWORD, DemoContext, load_all


class Command(BaseCommand):
    help = "Load the demo data (real public institutions, invented people). Idempotent."

    def handle(self, *args, **options):
        ctx = DemoContext(verbosity=options["verbosity"])
        with transaction.atomic():
            load_all(ctx)
            pagecache.bump_after_commit()  # some demo rows are written without signals
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            if ctx.logins:
                self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
                for role, username, note in ctx.logins:
                    self.stdout.write(f"  {role:<20} {username:<22} {note}")
            for note in ctx.extra.get("login_notes", []):
                self.stdout.write(note)
