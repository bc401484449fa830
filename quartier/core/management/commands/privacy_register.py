"""Print the processing register (Verzeichnis von Verarbeitungstätigkeiten, Art. 30 DSGVO),
built from every app's privacy.py and retention.py (core/privacy.py). Admins see the same in
the back office (/verwaltung/accounts/datenschutz/verzeichnis/)."""

import json

from django.core.management.base import BaseCommand
from django.utils import translation

from quartier.core.privacy import register

FIELDS = [
    ("purpose", "Purpose"),
    ("data", "Categories of data"),
    ("subjects", "Data subjects"),
    ("recipients", "Recipients"),
    ("retention", "Retention"),
    ("applied_by", "Applied by"),
    ("legal_basis", "Legal basis"),
    ("kept", "Kept after an erasure request"),
]


class Command(BaseCommand):
    help = "Print the processing register (Art. 30 DSGVO) as Markdown or JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
        parser.add_argument("--language", default="de", help="Language of the texts (de, en).")

    def handle(self, *args, **options) -> None:
        with translation.override(options["language"]):
            entries = register()
        if options["format"] == "json":
            self.stdout.write(json.dumps(entries, ensure_ascii=False, indent=2))
            return
        self.stdout.write("# Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)\n")
        for entry in entries:
            self.stdout.write(f"\n## {entry['name']} (`{entry['key']}`)\n")
            for key, label in FIELDS:
                if entry[key]:
                    self.stdout.write(f"- **{label}:** {entry[key]}")
