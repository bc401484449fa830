"""Public monitoring pages: an area's figures compared with its city or county."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from quartier.areas.models import Area
from quartier.core.pagecache import cache_public_page
from quartier.monitoring import selectors
from quartier.monitoring.models import Indicator


@require_GET
@cache_public_page
def area(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)
    return render(request, "monitoring/area.html", selectors.area_table(place))


@require_GET
@cache_public_page
def trend(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    place = get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)
    shown = get_object_or_404(Indicator.objects.filter(is_public=True), slug=indicator)
    return render(request, "monitoring/trend.html", selectors.indicator_trend(place, shown))
