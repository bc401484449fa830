"""`quartier import_postcodes FILE`: replace the shipped German postcode centres with a fuller
or newer open-data table (core/geocoding.py, docs/operations.md)."""

import gzip
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartier.core import geocoding


class Command(BaseCommand):
    help = (
        "Load postcode centres (GeoNames DE.txt, or a CSV with postcode/plz, lat and lon "
        "columns; .gz allowed) to place addresses without coordinates. Written to "
        "VAR_DIR/geodata/ and used instead of the shipped table."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="The table to load (.txt, .csv, or .gz).")
        parser.add_argument(
            "--licence",
            default="",
            help='Source and licence to note in the table, e.g. "OSM plz-5stellig, ODbL 1.0".',
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove an imported table: use the shipped one."
        )

    def handle(self, *args, **options) -> None:
        target = geocoding.imported_table()
        if options["reset"]:
            target.unlink(missing_ok=True)
            self.stdout.write("The shipped postcode table is in use again.")
            return
        if not options["file"]:
            raise CommandError("Name the file to load (or give --reset).")
        source = Path(options["file"])
        try:
            data = source.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            table = geocoding.parse_postcode_source(data)
        except (OSError, ValueError, EOFError) as exc:
            raise CommandError(f"{source}: {exc}") from exc
        header = [
            f"German postcode centres loaded from {source.name} by `quartier import_postcodes`.",
            f"Source and licence: {options['licence'] or 'not given (see docs/operations.md)'}",
            "One point per postcode: the median of the file's points for it.",
        ]
        geocoding.write_table(target, table, header=header)
        self.stdout.write(f"{len(table)} postcodes written to {target}.")
