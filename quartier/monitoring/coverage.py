"""Coverage ("Versorgung"): per area, the offers that serve it against the people they are for.

An offer serves an area when it is assigned to the area, to an area below it (it serves part of
it) or to an area above it (an offer of the whole city serves every district in it), the same
rule as the area page's offers (offers.selectors.area_offers). Only public offers count
(published, not ended: OfferQuerySet.public). The offers model has no capacity field, so the
weight is either the number of offers or their regular weekly opening hours (Schedule rows of
kind "weekly" valid today); offers without regular hours are counted and named in the result.

The population is one count indicator of the statistics in one year (the latest with figures
unless another is asked for). ratio = weight / population × per; no figure, a figure the
source withheld or zero people: no ratio ("no data"). The median is over the areas with a ratio;
the areas furthest below it are named. Aggregates only: no personal data.

Every read is a fixed number of queries, however many areas and offers.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from quartier.areas.models import Area, AreaLink
from quartier.areas.selectors import ancestor_ids, descendant_ids
from quartier.monitoring.models import Indicator, Value
from quartier.monitoring.selectors import min_count
from quartier.offers.models import Offer, Schedule, ScheduleKind, TargetGroup, TaxonomyTerm
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY

OFFERS = "offers"
HOURS = "hours"
PER = (100, 1000, 10000)
NAMED_BELOW = 3


def weight_choices() -> list[tuple[str, Any]]:
    return [
        (OFFERS, gettext_lazy("Offers")),
        (HOURS, gettext_lazy("Weekly opening hours of the offers")),
    ]


def topics() -> QuerySet[TaxonomyTerm]:
    """The topics to choose from: the social-space taxonomy's terms."""
    return TaxonomyTerm.objects.filter(taxonomy__slug=SOCIAL_SPACE_TAXONOMY).order_by(
        "position", "name"
    )


def _topic_ids(topic: TaxonomyTerm) -> list[Any]:
    """The topic and its narrower terms (the taxonomy has at most three levels)."""
    return list(
        TaxonomyTerm.objects.filter(
            Q(pk=topic.pk) | Q(parent_id=topic.pk) | Q(parent__parent_id=topic.pk)
        ).values_list("pk", flat=True)
    )


def _walk(start: int, edges: dict[int, set[int]]) -> set[int]:
    seen: set[int] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def related_areas(region_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per region: itself, every area above it and every area below it. Three queries: the
    recursive walks of areas.selectors find the areas, one read of their links gives each
    region its own (the walks answer for the regions together)."""
    regions = set(region_ids)
    above = ancestor_ids(regions, include_self=False)
    below = descendant_ids(regions, include_self=False)
    links = AreaLink.objects.filter(
        Q(child_id__in=regions | above) | Q(parent_id__in=regions | below)
    ).values_list("parent_id", "child_id")
    up: dict[int, set[int]] = defaultdict(set)
    down: dict[int, set[int]] = defaultdict(set)
    for parent, child in links:
        up[child].add(parent)
        down[parent].add(child)
    return {region: {region} | _walk(region, up) | _walk(region, down) for region in regions}


def serving_offers(
    area_ids: Iterable[int], *, topic: TaxonomyTerm | None, target_group: TargetGroup | None
) -> dict[int, set[Any]]:
    """Public offers (of the topic, its narrower topics, the target group) assigned to each of
    the areas: area id → offer ids. One query (two with a topic)."""
    offers = Offer.objects.public()
    if topic is not None:
        offers = offers.filter(topics__in=_topic_ids(topic))
    if target_group is not None:
        offers = offers.filter(target_groups=target_group)
    rows = Offer.areas.through.objects.filter(
        area_id__in=list(area_ids), offer_id__in=offers.values("pk")
    ).values_list("area_id", "offer_id")
    result: dict[int, set[Any]] = defaultdict(set)
    for area_id, offer_id in rows:
        result[area_id].add(offer_id)
    return result


def _hours(opens: datetime.time | None, closes: datetime.time | None) -> float | None:
    """Hours between opening and closing; past midnight when closing is not after opening
    (22:00–06:00 is 8 hours, 16:00–00:00 is 8)."""
    if opens is None or closes is None:
        return None
    start = opens.hour + opens.minute / 60
    end = closes.hour + closes.minute / 60
    if end <= start:
        end += 24
    return end - start


def weekly_hours(offer_ids: Iterable[Any], *, today: datetime.date | None = None) -> dict:
    """Regular weekly opening hours per offer (only offers that have any). One query."""
    today = today or timezone.localdate()
    rows = (
        Schedule.objects.filter(offer_id__in=list(offer_ids), kind=ScheduleKind.WEEKLY)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("offer_id", "opens_at", "closes_at")
    )
    result: dict[Any, float] = defaultdict(float)
    for offer_id, opens, closes in rows:
        hours = _hours(opens, closes)
        if hours is not None:
            result[offer_id] += hours
    return dict(result)


@dataclass
class Row:
    area: Area
    offers: int
    without_hours: int = 0
    weight: float | None = None
    population: Decimal | None = None
    ratio: float | None = None
    note: str = ""  # why there is no ratio


@dataclass
class Result:
    rows: list[Row]
    year: int | None
    per: int
    weight: str
    median: float | None
    below: list[Row] = field(default_factory=list)
    offers_total: int = 0

    @property
    def sentence(self) -> str:
        if self.median is None:
            return _("No area has both offers counted and population figures.")
        if not self.below:
            return _("No area lies below the median.")
        return _("Furthest below the median: %(areas)s.") % {
            "areas": ", ".join(row.area.name for row in self.below)
        }


def coverage(
    regions: list[Area],
    *,
    indicator: Indicator,
    topic: TaxonomyTerm | None = None,
    target_group: TargetGroup | None = None,
    weight: str = OFFERS,
    per: int = 1000,
    year: int | None = None,
    suppressed: bool = False,
) -> Result:
    """The coverage of `regions` (see the module docstring). `suppressed`: populations below the
    public threshold are not shown, nor their ratios."""
    ids = [area.pk for area in regions]
    related = related_areas(ids)
    assigned = serving_offers(
        set().union(*related.values()) if related else set(),
        topic=topic,
        target_group=target_group,
    )
    serving = {
        region: set().union(*(assigned.get(a, set()) for a in related.get(region, {region})))
        for region in ids
    }
    every_offer = set().union(*serving.values()) if serving else set()
    hours = weekly_hours(every_offer) if weight == HOURS else {}
    if year is None:
        year = (
            Value.objects.filter(indicator=indicator, area_id__in=ids, value__isnull=False)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
    found = Value.objects.filter(indicator=indicator, area_id__in=ids, year=year or 0)
    values = {v.area_id: v for v in found} if year is not None else {}
    threshold = min_count()
    rows = []
    for area in regions:
        offers = serving[area.pk]
        row = Row(area=area, offers=len(offers))
        if weight == HOURS:
            row.weight = sum(hours.get(o, 0.0) for o in offers)
            row.without_hours = sum(1 for o in offers if o not in hours)
        else:
            row.weight = float(len(offers))
        value = values.get(area.pk)
        if value is None or value.value is None:
            row.note = pgettext("coverage", "no data")
        elif suppressed and 0 < value.value < threshold:
            row.note = _("fewer than %(n)d, not shown") % {"n": threshold}
        elif value.value <= 0:
            row.population = value.value
            row.note = pgettext("coverage", "no data")
        else:
            row.population = value.value
            row.ratio = row.weight / float(value.value) * per
        rows.append(row)
    ratios = [row.ratio for row in rows if row.ratio is not None]
    median = statistics.median(ratios) if ratios else None
    below = []
    if median is not None:
        below = sorted(
            (row for row in rows if row.ratio is not None and row.ratio < median),
            key=lambda row: (row.ratio, row.area.name),
        )[:NAMED_BELOW]
    return Result(
        rows=rows,
        year=year,
        per=per,
        weight=weight,
        median=median,
        below=below,
        offers_total=len(every_offer),
    )
