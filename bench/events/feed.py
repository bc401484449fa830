"""Time the calendar's iCal feed and month view at 2,000 events (in-process, no HTTP server).

    export QUARTIER_VAR_DIR=/tmp/bench-events
    .venv/bin/python -m quartier migrate
    .venv/bin/python bench/events/feed.py [--events 2000] [--runs 7]

Creates (once, by bulk_create) the events of one month, then renders the whole feed, a filtered
feed and the month view `--runs` times each through Django's test client; prints the median,
the spread, the body size and the number of queries per request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("QUARTIER_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.conf import settings  # noqa: E402

# Plain static storage: the bench does not run collectstatic (as in tests/conftest.py).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from quartier.events.models import Category, Event  # noqa: E402

MONTH = (2031, 3)


def ensure_events(count: int) -> None:
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    existing = Event.objects.filter(slug__startswith="bench-").count()
    if existing >= count:
        return
    base = timezone.make_aware(dt.datetime(*MONTH, 1, 8))
    step = (28 * 24 * 60) // count
    Event.objects.bulk_create(
        Event(
            title=f"Bench-Termin {i}",
            slug=f"bench-{i}",
            uid=f"bench-{i}@quartier",
            category=category,
            description="Ein Termin mit etwas Text, Umlauten (äöü) und Kommas, wie im Leben.",
            place_name="Bürgerhaus",
            street="Hauptstraße 1",
            postcode="54290",
            city="Trier",
            starts_at=base + dt.timedelta(minutes=step * i),
            ends_at=base + dt.timedelta(minutes=step * i + 90),
        )
        for i in range(existing, count)
    )


def measure(client: Client, url: str, runs: int) -> str:
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            body = response.content
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return (
        f"| `{url}` | {statistics.median(timings):.0f} | {min(timings):.0f}–{max(timings):.0f} "
        f"| {len(body) / 1024:.0f} | {len(queries.captured_queries)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ensure_events(args.events)
    client = Client()
    client.get("/veranstaltungen/kalender.ics")  # warm-up (imports, template loading)
    print(f"{args.events} events, {args.runs} runs, {connection.vendor}")
    print("| request | median ms | spread ms | KiB | queries |")
    print("|---|---|---|---|---|")
    for url in (
        "/veranstaltungen/kalender.ics",
        "/veranstaltungen/kalender.ics?category=bench",
        f"/veranstaltungen/monat/{MONTH[0]}/{MONTH[1]}/",
    ):
        print(measure(client, url, args.runs))


if __name__ == "__main__":
    main()
