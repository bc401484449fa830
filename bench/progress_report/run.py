"""Progress report benchmark: the PDF report of a city with 40 areas, 500 projects and 10 years
of 30 indicators per area (issue #14: under 10 seconds), plus the web page's query count.

Builds the data by bulk_create in a throwaway database (the script migrates it), then renders
the report of the whole city for the ten years: `report.build` (queries), the HTML and the PDF
(WeasyPrint), each timed; prints one JSON line.

    QUARTIER_VAR_DIR=/tmp/bench-report nice -n 10 .venv/bin/python bench/progress_report/run.py
Options: --scale S (1.0: 40 areas, 500 projects, 30 indicators × 10 years per area; use 0.1 for
a quick check on a busy machine), --rounds N (1), --keep (reuse the data of an earlier run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("QUARTIER_VAR_DIR", "/tmp/bench-report")
Path(os.environ["QUARTIER_VAR_DIR"]).mkdir(parents=True, exist_ok=True)

CITY = "bench-stadt"
YEARS = 10


def build(scale: float) -> None:
    from quartier.areas.models import Area, AreaKind, AreaLink
    from quartier.directory.models import Organisation
    from quartier.projects.models import (
        BudgetLine,
        Concept,
        ContinuationTask,
        FieldOfAction,
        Goal,
        Indicator,
        Measurement,
        Programme,
        Project,
        Status,
    )

    areas_n = max(1, round(40 * scale))
    projects_n = max(1, round(500 * scale))
    indicators_n = max(1, round(30 * scale))
    first = dt.date.today().year - YEARS + 1
    city_kind, _ = AreaKind.objects.get_or_create(
        slug="bench-stadt", defaults={"name": "Stadt", "level": 1}
    )
    area_kind, _ = AreaKind.objects.get_or_create(
        slug="bench-quartier", defaults={"name": "Quartier", "level": 3}
    )
    city = Area.objects.create(kind=city_kind, name="Benchstadt", slug=CITY)
    areas = Area.objects.bulk_create(
        Area(kind=area_kind, name=f"Quartier {i:02d}", slug=f"bench-quartier-{i}")
        for i in range(areas_n)
    )
    AreaLink.objects.bulk_create(AreaLink(parent=city, child=area) for area in areas)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Träger {i}", slug=f"bench-traeger-{i}") for i in range(20)
    )
    programmes = []
    for i, name in enumerate(
        ("Sozialer Zusammenhalt", "ESF Plus", "BIWAQ", "Verfügungsfonds", "Haushalt")
    ):
        programme = Programme.objects.create(
            name=f"{name} Benchstadt",
            slug=f"bench-programm-{i}",
            kind="other",
            starts_on=dt.date(first, 1, 1),
            ends_on=dt.date(first + YEARS + i, 6, 30),
        )
        programme.areas.set(areas)
        programmes.append(programme)
    statuses = [s.value for s in Status]
    projects = Project.objects.bulk_create(
        Project(
            title=f"Projekt {i}",
            slug=f"bench-projekt-{i}",
            lead_organisation=organisations[i % 20],
            status=statuses[i % len(statuses)],
            starts_on=dt.date(first + i % YEARS, 1, 1),
            ends_on=dt.date(first + i % YEARS + 2, 12, 31),
        )
        for i in range(projects_n)
    )
    Project.areas.through.objects.bulk_create(
        Project.areas.through(project=project, area=areas[i % areas_n])
        for i, project in enumerate(projects)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            programme=programmes[i % 5],
            year=first + (i + k) % YEARS,
            planned=Decimal(10_000 + i),
            approved=Decimal(9_000 + i),
            spent=Decimal(8_000 + 3 * i * k),
        )
        for i, project in enumerate(projects)
        for k in range(3)
    )
    ContinuationTask.objects.bulk_create(
        ContinuationTask(
            programme=programmes[0],
            area=area,
            title=f"Aufgabe {area.name}",
            ends_on=dt.date.today() + dt.timedelta(days=30 + i),
        )
        for i, area in enumerate(areas)
    )
    for n, area in enumerate(areas):
        concept = Concept.objects.create(
            area=area, kind="agreement", title=f"Vereinbarung {area.name}"
        )
        Concept.objects.filter(pk=concept.pk).update(lineage=concept.pk)
        field = FieldOfAction.objects.create(concept=concept, title="Zusammenleben")
        goal = Goal.objects.create(field=field, title="Mehr Teilhabe")
        indicators = Indicator.objects.bulk_create(
            Indicator(
                goal=goal,
                concept=concept,
                code=f"k{i}",
                name=f"Kennzahl {i}",
                unit="%",
                baseline=Decimal(50),
                baseline_date=dt.date(first, 12, 31),
                target=Decimal(40 + i % 30),
                target_date=dt.date(first + YEARS + i % 3, 12, 31),
                direction="higher" if i % 2 else "lower",
            )
            for i in range(indicators_n)
        )
        Measurement.objects.bulk_create(
            Measurement(
                indicator=indicator,
                date=dt.date(first + y, 12, 31),
                value=Decimal(50 + (y * (i + n)) % 17 - 8),
            )
            for i, indicator in enumerate(indicators)
            for y in range(YEARS)
            if (y + i) % 7  # some years missing
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from quartier.areas.models import Area
    from quartier.projects import report

    call_command("migrate", verbosity=0)
    if Area.objects.filter(slug=CITY).exists():
        if not args.keep:
            sys.exit("The database holds an earlier run: pass --keep or a new QUARTIER_VAR_DIR.")
    else:
        started = time.perf_counter()
        build(args.scale)
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    city = Area.objects.get(slug=CITY)
    today = dt.date.today()
    scope = report.Scope(
        start=dt.date(today.year - YEARS + 1, 1, 1), end=dt.date(today.year, 12, 31), area=city
    )
    results = []
    with translation.override("de"):
        for _round in range(args.rounds):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                context = report.build(scope)
            t1 = time.perf_counter()
            report.render_html(context)
            t2 = time.perf_counter()
            pdf = report.render_pdf(context, base_url="http://localhost/")
            t3 = time.perf_counter()
            results.append(
                {
                    "queries": len(queries),
                    "build_s": round(t1 - t0, 3),
                    "html_s": round(t2 - t1, 3),
                    "pdf_s": round(t3 - t2, 3),
                    "build_and_pdf_s": round((t1 - t0) + (t3 - t2), 3),
                    "pdf_bytes": len(pdf),
                }
            )
    print(json.dumps({"scale": args.scale, "db": connection.vendor, "rounds": results}))


if __name__ == "__main__":
    main()
