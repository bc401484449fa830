"""Monitoring in the shared test world: residents, households, households receiving basic
income support (a count) and their rate per 100 households, for the Nordviertel and its city
(Teststadt) in 2023; the Nordviertel's count is small (3), so its rate is hidden too."""

from quartier.monitoring.models import IndicatorKind
from tests.factories.monitoring import IndicatorFactory, ValueFactory

ORDER = 120


def extend(world) -> None:
    residents = IndicatorFactory(slug="einwohner", name="Einwohnerinnen und Einwohner", order=1)
    households = IndicatorFactory(slug="haushalte", name="Haushalte", order=2)
    sgb2 = IndicatorFactory(slug="sgb2-haushalte", name="Haushalte mit Bürgergeld", order=3)
    rate = IndicatorFactory(
        slug="sgb2-quote",
        name="Bürgergeld-Quote",
        kind=IndicatorKind.RATE,
        denominator=households,
        base=100,
        unit="%",
        order=4,
    )
    for area, figures in (
        (world.district, (1234, 60, 3, 5)),
        (world.city, (100500, 50000, 4000, 8)),
    ):
        for indicator, number in zip((residents, households, sgb2, rate), figures, strict=True):
            ValueFactory(indicator=indicator, area=area, year=2023, value=number)
    world.extra.update(
        indicator_residents=residents,
        indicator_households=households,
        indicator_sgb2=sgb2,
        indicator_rate=rate,
    )
