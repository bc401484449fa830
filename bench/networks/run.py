"""Networks benchmark: the meeting list of a body with 5,000 meetings and the iCal feed of a
body with 500 meetings; query counts and response times (medians of 20 requests).

Run on a throwaway database:
    QUARTIER_VAR_DIR=/tmp/bench-networks .venv/bin/python bench/networks/run.py
(With DATABASE_URL=postgres://... it runs on PostgreSQL; the script creates its own rows in
a fresh body and deletes them afterwards.)
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("QUARTIER_DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from quartier.accounts.models import User  # noqa: E402
from quartier.networks.models import Body, BodyKind, Meeting  # noqa: E402

RUNS = 20


def _body(slug: str, count: int) -> Body:
    kind, _ = BodyKind.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    Body.objects.filter(slug=slug).delete()
    body = Body.objects.create(kind=kind, name=slug, slug=slug)
    start = timezone.now() - datetime.timedelta(days=count // 4)
    Meeting.objects.bulk_create(
        [
            Meeting(
                body=body,
                title=f"Treffen {i}",
                uid=f"{slug}-{i}@bench",
                start=start + datetime.timedelta(hours=6 * i),
                end=start + datetime.timedelta(hours=6 * i + 2),
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    return body


def _measure(client: Client, url: str) -> tuple[int, float, float, int]:
    client.get(url)  # warm up
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    return len(executed), statistics.median(times), max(times) - min(times), response.status_code


def main() -> None:
    call_command("migrate", verbosity=0)
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"email": "bench@example.org", "is_superuser": True}
    )
    big = _body("bench-5000", 5000)
    feed = _body("bench-500", 500)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    rows = [
        ("meeting list, 5,000 meetings, page 50", f"/verwaltung/networks/{big.slug}/?page=50"),
        ("iCal feed, 500 meetings (cached)", f"/netzwerke/{feed.slug}/termine.ics"),
        ("public body page", f"/netzwerke/{feed.slug}/"),
        ("API meetings, 5,000 meetings", f"/api/networks/bodies/{big.slug}/meetings?limit=100"),
    ]
    began = time.perf_counter()
    client.get(f"/netzwerke/{feed.slug}/termine.ics")
    print(f"iCal feed, 500 meetings, first build: {(time.perf_counter() - began) * 1000:.0f} ms")
    print(f"{'what':<42} {'queries':>7} {'median ms':>10} {'spread ms':>10}")
    for label, url in rows:
        queries, median, spread, status = _measure(client, url)
        assert status == 200, (url, status)
        print(f"{label:<42} {queries:>7} {median:>10.1f} {spread:>10.1f}")
    Body.objects.filter(pk__in=[big.pk, feed.pk]).delete()


if __name__ == "__main__":
    main()
