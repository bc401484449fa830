"""Rebuild the search index from the public offers (after bulk loads or a restore)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from quartier.search.backends import get_backend
from quartier.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from the public offers."

    def handle(self, *args, **options) -> None:
        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                width = 30
                filled = int(width * done / max(total, 1))
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                sys.stderr.flush()

        count = reindex_all(progress=progress)
        get_backend().after_rebuild()
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} public offers."))
