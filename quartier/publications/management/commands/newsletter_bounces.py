"""Mark newsletter addresses from the bounce reports in a mailbox (mbox file or Maildir) that
the mail server delivers the newsletter's bounces to. Reports read are removed unless
--keep is given, so the command can run every few minutes."""

from __future__ import annotations

import mailbox
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartier.publications import bounces, services


class Command(BaseCommand):
    help = "Mark newsletter addresses bounced from the delivery reports in a mailbox."

    def add_arguments(self, parser):
        parser.add_argument("path", help="an mbox file or a Maildir directory")
        parser.add_argument("--keep", action="store_true", help="leave the reports in place")

    def handle(self, *args, path: str, keep: bool, **options):
        location = Path(path)
        if location.is_dir():
            box: mailbox.Mailbox = mailbox.Maildir(location, create=False)
        elif location.is_file():
            box = mailbox.mbox(location, create=False)
        else:
            raise CommandError(f"No mailbox at {path}")
        box.lock()
        try:
            read = marked = 0
            for key, message in list(box.items()):
                for address, permanent in bounces.reports(message):
                    read += 1
                    marked += services.bounce_record(email=address, permanent=permanent)
                if not keep:
                    box.remove(key)
            box.flush()
        finally:
            box.unlock()
            box.close()
        self.stdout.write(f"{read} bounce report(s) read, {marked} address(es) marked.")
