"""Demo indicators: six indicators for the demo cities, the county and their districts over
the last ten years. The figures are invented (plausible orders of magnitude, not the statistics
offices' numbers). Idempotent: only missing or changed figures are written."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from quartier.core import pagecache
from quartier.core.demo import DemoContext, upsert
from quartier.monitoring.models import Indicator, IndicatorKind, Value

SOURCE = "Demo-Daten (erfunden), nach dem Vorbild kommunaler Statistikstellen"

# (key, name, unit, kind, denominator key, order)
INDICATORS = [
    ("einwohner", "Einwohnerinnen und Einwohner", "Personen", IndicatorKind.COUNT, None, 1),
    ("haushalte", "Haushalte", "Haushalte", IndicatorKind.COUNT, None, 2),
    ("kinder-u3", "Kinder unter drei Jahren", "Personen", IndicatorKind.COUNT, None, 3),
    (
        "sgb2-haushalte",
        "Haushalte mit Bürgergeld (SGB II)",
        "Haushalte",
        IndicatorKind.COUNT,
        None,
        4,
    ),
    ("sgb2-quote", "Anteil der Haushalte mit Bürgergeld", "%", IndicatorKind.RATE, "haushalte", 5),
    (
        "nichtdeutsch-quote",
        "Anteil der Einwohner ohne deutsche Staatsangehörigkeit",
        "%",
        IndicatorKind.RATE,
        "einwohner",
        6,
    ),
]

# area key: (residents, SGB II share of households in %, non-German share in %)
AREAS = {
    "trier": (111000, 8.5, 12.0),
    "trier-west-pallien": (7800, 24.0, 18.5),
    "trier-mariahof": (3100, 6.0, 7.5),
    "trier-sued": (9400, 9.0, 14.0),
    "magdeburg": (237000, 11.0, 9.5),
    "magdeburg-neu-olvenstedt": (12600, 27.5, 15.0),
    "potsdam": (183000, 6.5, 9.0),
    "potsdam-am-stern": (15400, 16.0, 13.5),
    "potsdam-drewitz": (6800, 21.0, 16.0),
    "lk-trier-saarburg": (152000, 4.0, 8.0),
    "sr-hermeskeil": (15200, 5.0, 4.5),
}
YEARS = 10


def _figures(residents: int, sgb2: float, foreign: float, step: int) -> dict[str, Decimal]:
    """Invented figures for year `step` (0 = ten years ago): slowly growing, SGB II share slowly
    falling, non-German share rising."""
    people = round(residents * (1 + 0.004 * (step - YEARS + 1)))
    households = round(people / 1.9)
    share = round(sgb2 * (1 - 0.015 * (step - YEARS + 1)), 1)
    return {
        "einwohner": Decimal(people),
        "haushalte": Decimal(households),
        "kinder-u3": Decimal(round(people * 0.028)),
        "sgb2-haushalte": Decimal(round(households * share / 100)),
        "sgb2-quote": Decimal(str(share)),
        "nichtdeutsch-quote": Decimal(str(round(foreign + 0.3 * step, 1))),
    }


def load(ctx: DemoContext) -> None:
    indicators: dict[str, Indicator] = {}
    for key, name, unit, kind, denominator, order in INDICATORS:
        indicators[key] = upsert(
            Indicator,
            lookup={"slug": key},
            values={
                "name": name,
                "unit": unit,
                "kind": kind,
                "denominator": indicators[denominator] if denominator else None,
                "base": 100,
                "source": SOURCE,
                "order": order,
            },
        )
    last = timezone.localdate().year - 1
    areas = {key: ctx.areas[key] for key in AREAS if key in ctx.areas}
    existing = {
        (v.indicator_id, v.area_id, v.year): v
        for v in Value.objects.filter(area__in=areas.values(), indicator__in=indicators.values())
    }
    new, changed = [], []
    for key, area in areas.items():
        for step in range(YEARS):
            year = last - YEARS + 1 + step
            for slug, number in _figures(*AREAS[key], step).items():
                indicator = indicators[slug]
                value = existing.get((indicator.pk, area.pk, year))
                if value is None:
                    new.append(Value(indicator=indicator, area=area, year=year, value=number))
                elif value.value != number or value.suppressed:
                    value.value, value.suppressed = number, False
                    changed.append(value)
    Value.objects.bulk_create(new, batch_size=1000)
    Value.objects.bulk_update(changed, ["value", "suppressed"], batch_size=1000)
    if new or changed:
        pagecache.bump_after_commit()
    ctx.log(f"monitoring: {len(new)} new, {len(changed)} changed figures")
