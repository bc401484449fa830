"""Generate residents' concerns for the load test of the concerns map and Open311.

    export QUARTIER_VAR_DIR=/tmp/bench-concerns
    .venv/bin/python -m quartier migrate
    .venv/bin/python bench/concerns/generate.py --concerns 50000

Reuses the county of bench/generate_county.py (its towns, social spaces and centre points,
without offers), then adds ten categories, routing to nobody (the default inbox) and N
concerns spread over three years: most with a point near a town's centre (some without a
place), statuses as a busy inbox has them (a few merged duplicates, which the public lists
leave out), and a public note on every third. All by bulk_create (no signals, no mails, no
photos). Deterministic for a given --seed. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.generate_county import build_areas  # noqa: E402
from quartier.concerns.models import Category, Concern, Source, Status, Update  # noqa: E402

CATEGORIES = [
    ("muell", "Müll und Sperrmüll", "Neben den Containern am {place} liegt seit Tagen Sperrmüll."),
    (
        "strassenschaden",
        "Straßenschaden",
        "Ein tiefes Schlagloch in der {place}, Radfahrer stürzen fast.",
    ),
    ("beleuchtung", "Straßenbeleuchtung", "Die Laterne vor {place} ist seit einer Woche dunkel."),
    ("spielplatz", "Spielplatz", "Auf dem Spielplatz {place} ist die Schaukel kaputt."),
    ("gruen", "Grünflächen", "Die Hecke am {place} wächst über den Gehweg."),
    (
        "wohnung",
        "Wohnung und Vermieter",
        "Im Haus {place} funktioniert die Heizung nicht, der Vermieter antwortet nicht.",
    ),
    ("laerm", "Lärm", "Nachts ist es am {place} sehr laut."),
    ("barrieren", "Barrieren", "Der Bordstein an der {place} ist für Rollstühle zu hoch."),
    ("verkehr", "Verkehr und Schulweg", "Autos parken auf dem Schulweg in der {place}."),
    ("sonstiges", "Sonstiges", "Anliegen zu {place}: bitte melden Sie sich."),
]
PLACES = [
    "Lindenstraße",
    "Marktplatz",
    "Bahnhofstraße",
    "Schulstraße",
    "Kirchweg",
    "Am Bach",
    "Gartenweg",
    "Hauptstraße",
]
NOTES = [
    "Wir haben das Anliegen an das Ordnungsamt weitergegeben.",
    "Die Hausverwaltung hat einen Termin mit dem Handwerker zugesagt.",
    "Erledigt: der Bauhof war vor Ort.",
    "Das Thema steht auf der Tagesordnung des nächsten Netzwerktreffens.",
]
# (status, weight): most are open or solved; a few merged duplicates the public lists skip.
STATUSES = [
    (Status.RECEIVED, 30),
    (Status.IN_PROGRESS, 20),
    (Status.FORWARDED, 10),
    (Status.SOLVED, 30),
    (Status.NOT_OURS, 7),
    (Status.MERGED, 3),
]
BATCH = 5000


def build_categories() -> list[Category]:
    return [
        Category.objects.get_or_create(
            slug=f"bench-{slug}", defaults={"name": name, "position": position}
        )[0]
        for position, (slug, name, _text) in enumerate(CATEGORIES)
    ]


def _keep_given_dates() -> None:
    """created_at/updated_at are auto_now(_add): bulk_create would stamp them all with now;
    the benchmark needs three years of dates (in this process only)."""
    for name in ("created_at", "updated_at"):
        field = Concern._meta.get_field(name)
        field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]


def generate(n: int, seed: int) -> None:
    _keep_given_dates()
    rng = random.Random(seed)
    started = time.monotonic()
    with transaction.atomic():
        towns = build_areas(rng)
        categories = build_categories()
        texts = {c.pk: CATEGORIES[i][2] for i, c in enumerate(categories)}
        statuses = [s for s, _w in STATUSES]
        weights = [w for _s, w in STATUSES]
        now = timezone.now()
        made = 0
        while made < n:
            batch = []
            for _i in range(min(BATCH, n - made)):
                town, (lat, lon) = towns[rng.randrange(len(towns))]
                category = categories[rng.randrange(len(categories))]
                status = rng.choices(statuses, weights)[0]
                created = now - dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
                has_point = rng.random() < 0.9
                closed = status in (Status.SOLVED, Status.NOT_OURS, Status.MERGED)
                batch.append(
                    Concern(
                        category=category,
                        description=texts[category.pk].format(place=rng.choice(PLACES)),
                        area=town,
                        lat=lat + rng.gauss(0, 0.02) if has_point else None,
                        lon=lon + rng.gauss(0, 0.03) if has_point else None,
                        status=status,
                        status_changed_at=created + dt.timedelta(days=3),
                        closed_at=created + dt.timedelta(days=10) if closed else None,
                        forwarded_to="Ordnungsamt" if status == Status.FORWARDED else "",
                        flagged=True,
                        source=Source.WEB if rng.random() < 0.8 else Source.OPEN311,
                        created_at=created,
                        updated_at=created + dt.timedelta(days=3),
                    )
                )
            created_rows = Concern.objects.bulk_create(batch)
            assert created_rows[0].pk is not None, "needs RETURNING (SQLite 3.35+, PostgreSQL)"
            updates = [
                Update(
                    concern=concern, status=concern.status, text=rng.choice(NOTES), is_public=True
                )
                for number, concern in enumerate(created_rows)
                if number % 3 == 0
            ]
            Update.objects.bulk_create(updates)
            made += len(batch)
            print(f"{made} concerns ({time.monotonic() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE concerns_concern")
    print(f"generated {n} concerns in {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concerns", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    generate(args.concerns, args.seed)


if __name__ == "__main__":
    main()
