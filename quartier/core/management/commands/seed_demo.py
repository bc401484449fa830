import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from quartier.core.demo import DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Load the demo data (real public institutions, invented people). Idempotent."

    def handle(self, *args, **options):
        ctx = DemoContext(verbosity=options["verbosity"])
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("quartier."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                if hasattr(module, "load"):
                    module.load(ctx)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            if ctx.logins:
                self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
                for role, username, note in ctx.logins:
                    self.stdout.write(f"  {role:<24} {username:<28} {note}")
