from django.core.management.base import BaseCommand, CommandError

from quartier.offers.taxonomy import load_vocabularies


class Command(BaseCommand):
    help = (
        "Load or update the topic taxonomies, their mapping, target groups and languages "
        "from quartier/offers/data/. Idempotent; run after every upgrade."
    )

    def handle(self, *args, **options):
        report = load_vocabularies()
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s) in the data files.")
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.terms} topics, {report.mappings} mappings, "
                    f"{report.target_groups} target groups, {report.languages} languages."
                )
            )
