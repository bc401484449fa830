"""Public monitoring pages: an area's figures compared with its city or county, trends, maps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartier.areas.models import Area
from quartier.core.pagecache import cache_public_page
from quartier.monitoring import maps, selectors
from quartier.monitoring.forms import MapOptionsForm
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


def offer_map_choices(form: MapOptionsForm, context: dict[str, Any]) -> None:
    """Selects for the kinds of area and the years found (the form takes any slug or year and
    the map checks them against the data)."""
    kinds = context.get("kinds") or []
    form.fields["kind"].widget = forms.Select(
        choices=[("", "–")] + [(k.slug, k.localized_name_plural) for k in kinds]
    )
    years = context.get("years") or []
    form.fields["year"].widget = forms.Select(
        choices=[("", _("latest year"))] + [(y, y) for y in years]
    )


@require_GET
@cache_public_page
def indicator_map(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """An indicator over the areas below `slug` (small numbers suppressed)."""
    place = get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)
    shown = get_object_or_404(Indicator.objects.filter(is_public=True), slug=indicator)
    form = MapOptionsForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "area": place,
        "indicator": shown,
        "chart": None,
        "threshold": selectors.min_count(),
    }
    status = 200
    if form.is_valid():
        try:
            regions = maps.regions_below(place, kind_slug=form.cleaned_data["kind"])
            context.update(maps.indicator_map(shown, regions, **form.options()))
        except maps.MapInputError as error:
            form.add_error(error.field, error.message)
    if form.errors:
        status = 400
        context.setdefault("kinds", maps.regions_below(place).kinds)
    offer_map_choices(form, context)
    return render(request, "monitoring/map.html", context, status=status)
