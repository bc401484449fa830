"""Rebuild the search index from the public offers (after bulk loads or a restore)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from quartier.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the public offers."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                width = 30
                filled = int(width * done / max(total, 1))
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                sys.stderr.flush()

        count = index_rebuild(progress=progress)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} public offers."))
