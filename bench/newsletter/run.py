"""Newsletter benchmark: one issue's e-mail edition to 20,000 subscribers through the real
worker (`quartier db_worker --batch`) into a local SMTP sink (aiosmtpd, its own process).

Measures the worker's wall time, its CPU time and its own peak resident memory (VmHWM,
reported by bench/newsletter/worker.py from inside the worker process, so neither the sink nor
this driver counts), the sink's CPU time, and checks that every mail was accepted.

Run on a throwaway database (the script migrates it):
    QUARTIER_VAR_DIR=/tmp/bench-newsletter nice -n 10 .venv/bin/python bench/newsletter/run.py
Options: --subscribers N (20000), --rate R (0: unpaced), --batch B (200), --pdf (also time the
print edition of a 12-page issue), --profile FILE (cProfile of the worker into FILE; the
time of a profiled run is no figure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("QUARTIER_VAR_DIR", "/tmp/bench-newsletter")
os.environ.setdefault("QUARTIER_TASKS_BACKEND", "database")
os.environ.setdefault("QUARTIER_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
Path(os.environ["QUARTIER_VAR_DIR"]).mkdir(parents=True, exist_ok=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=0)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--profile", default="")
    parser.add_argument(
        "--sink-processes",
        type=int,
        default=1,
        help="processes of the SMTP sink (bench/newsletter/sink.py); 1 is plain aiosmtpd",
    )
    args = parser.parse_args()

    port = free_port()
    os.environ["QUARTIER_EMAIL_HOST"] = "127.0.0.1"
    os.environ["QUARTIER_EMAIL_PORT"] = str(port)
    os.environ["QUARTIER_NEWSLETTER_RATE"] = str(args.rate)
    os.environ["QUARTIER_NEWSLETTER_BATCH"] = str(args.batch)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from quartier.directory.models import Organisation
    from quartier.publications import services
    from quartier.publications.models import (
        Article,
        Issue,
        IssueStatus,
        Mailing,
        NewsletterList,
        Subscriber,
    )

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    from quartier.areas.models import Area, AreaKind

    kind, _ = AreaKind.objects.get_or_create(slug="bench", defaults={"name": "Bench", "level": 3})
    area, _ = Area.objects.get_or_create(
        slug="bench-viertel", defaults={"name": "Benchviertel", "kind": kind}
    )
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-stadtteilbuero", defaults={"name": "Bench-Stadtteilbüro"}
    )
    NewsletterList.objects.filter(slug="bench").delete()
    Issue.objects.filter(title="Bench-Zeitung").delete()
    newsletter = NewsletterList.objects.create(
        name="Bench", slug="bench", organisation=organisation, consent_text="Bench"
    )
    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                newsletter=newsletter,
                email=f"leser{i}@example.org",
                confirmed_at=now,
                consent_version=1,
            )
            for i in range(args.subscribers)
        ),
        batch_size=2000,
    )
    issue = Issue.objects.create(
        title="Bench-Zeitung",
        number="1",
        organisation=organisation,
        area=area,
        period_start=timezone.localdate(),
        period_end=timezone.localdate() + dt.timedelta(days=60),
        imprint="Bench",
        status=IssueStatus.SCHEDULED,
        publish_at=now - dt.timedelta(minutes=1),
    )
    for n in range(24):
        Article.objects.create(
            issue=issue,
            position=n,
            title=f"Artikel {n}",
            text="<h3>Zwischentitel</h3><p>" + "Ein Satz aus dem Viertel. " * 90 + "</p>"
            '<ul><li>eins</li><li>zwei</li></ul><p><img src="/media/bild.jpg" alt="Bild"></p>',
        )

    if args.pdf:
        from quartier.publications import pdf

        started = time.perf_counter()
        data = pdf.render_pdf(issue)
        elapsed = time.perf_counter() - started
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(data)).pages)
        print(f"print edition: {pages} pages in {elapsed:.1f} s")

    if args.sink_processes > 1:
        command = [
            sys.executable,
            str(Path(__file__).with_name("sink.py")),
            str(port),
            str(args.sink_processes),
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{port}",
        ]
    sink = subprocess.Popen(command)  # fmt: skip
    time.sleep(1.5)
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    env = os.environ.copy()
    env["BENCH_WORKER_REPORT"] = str(report)
    if args.profile:
        env["BENCH_WORKER_PROFILE"] = args.profile
    try:
        mailing = services.mailing_start(issue=issue, newsletter=newsletter, user=None)
        connection.close()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("worker.py"))], check=True, env=env
        )
        elapsed = time.perf_counter() - started
    finally:
        sink.terminate()
        sink.wait()
    worker = json.loads(report.read_text())
    report.unlink()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sink_cpu = children.ru_utime + children.ru_stime - worker["cpu_s"]
    mailing = Mailing.objects.get(pk=mailing.pk)
    print(
        f"{mailing.sent} sent, {mailing.failed} failed of {mailing.total} in {elapsed:.1f} s "
        f"({mailing.sent / elapsed:.0f} mails/s, worker start-up included); "
        f"worker CPU {worker['cpu_s']:.1f} s, sink CPU {sink_cpu:.1f} s; "
        f"peak worker RSS {worker['peak_rss_mb']:.0f} MB; database {connection.vendor}"
    )


if __name__ == "__main__":
    main()
