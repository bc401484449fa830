"""The search page, the map page and the guided search ("Passgenaue Hilfe")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from quartier.core.htmx import render_page
from quartier.core.permissions import permission_required
from quartier.offers.export import export_max_offers
from quartier.search import guided as guided_search
from quartier.search.forms import FACET_FIELDS, FLAGS, SearchForm
from quartier.search.services import area_offers, search_offers


def may_use_guided_search(user: Any) -> bool:
    return user.has_perm("search.use_guided_search")


def _query_string(request: HttpRequest, *, drop: tuple[str, ...] = (), **changes: Any) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def _filter_chips(request: HttpRequest, form: SearchForm) -> dict[str, Any]:
    """The active filters as chips above the results: each links to the same search without
    that one filter (the text query and the other filters kept, back to page 1), and a link
    without any filter when there are two or more."""
    chips = []
    for active in form.active_filters():
        params = request.GET.copy()
        params.pop("page", None)
        if active.value:
            kept = [value for value in params.getlist(active.name) if value != active.value]
            params.setlist(active.name, kept)
        else:
            params.pop(active.name, None)
        chips.append({"filter": active, "query": params.urlencode()})
    keep = {name: request.GET[name] for name in ("q", "sort") if request.GET.get(name)}
    return {"chips": chips, "clear_filters": urlencode(keep)}


def _place_context(request: HttpRequest, form: SearchForm) -> dict[str, Any]:
    """Links for the "Where" part: the places an ambiguous address may mean, and a way to
    drop a point given by lat/lon (from "use my location" or the map)."""
    new_search = ("page", "bbox", "lat", "lon", "near")
    choices = [
        (place.label, _query_string(request, drop=new_search, address=place.label))
        for place in form.address_choices
    ]
    data = getattr(form, "cleaned_data", {})
    point = None
    if not form.place and data.get("lat") is not None and data.get("lon") is not None:
        point = {
            "lat": data["lat"],
            "lon": data["lon"],
            "clear": _query_string(request, drop=("page", "lat", "lon")),
        }
    return {"address_choices": choices, "point": point}


def _search_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """The page's context. With bad input: status 400, no search, and the form with every
    field's error (the template marks the fields and links to them from a summary)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        options = form.facet_options({})
        return {
            "form": form,
            "result": None,
            "facets": [(form[name], options[name]) for name in FACET_FIELDS],
            "flags": [(name, form[name], None) for name in FLAGS],
            "unboxed_query": None,
            **_place_context(request, form),
            **_filter_chips(request, form),
        }, 400
    result = search_offers(
        query=form.cleaned_data["q"],
        filters=form.filters(),
        page=form.cleaned_data["page"],
        index=form.index,
    )
    if form.page_notice:
        result.notices.insert(0, str(form.page_notice))
    options = form.facet_options(result.facets)
    form.count_weekdays(result.facets)
    query_string = _query_string(request)
    # A saved search keeps points, not addresses (the alerts' filters: quartier/alerts).
    alert_query = query_string
    if form.place:
        alert_query = _query_string(
            request, drop=("address", "near"), lat=form.place.lat, lon=form.place.lon
        )
    context = {
        "form": form,
        "result": result,
        "facets": [(form[name], options[name]) for name in FACET_FIELDS],
        "flags": [(name, form[name], result.facets.get(name, 0)) for name in FLAGS],
        "query_string": query_string,
        "alert_query": alert_query,
        # The list limited to a map section: the same search without it.
        "unboxed_query": (
            _query_string(request, drop=("bbox", "page")) if form.cleaned_data["bbox"] else None
        ),
        **_place_context(request, form),
        **_filter_chips(request, form),
        "previous_page": _query_string(request, page=result.page - 1) if result.page > 1 else "",
        "next_page": (
            _query_string(request, page=result.page + 1) if result.page < result.pages else ""
        ),
        "api_url": reverse("api:search_offers_api") + "?" + query_string,
        "geojson_url": reverse("api:search_geojson") + "?" + query_string,
    }
    return context, 200


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Find offers: text, facets with counts, near an area or a point; works without JS."""
    context, status = _search_context(request)
    return render_page(
        request, "search/search.html", "search/partials/layout.html", context, status=status
    )


@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    """The same search on a map (Leaflet, clustered); the list stays below for keyboard users."""
    context, status = _search_context(request)
    return render(request, "search/map.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("search.use_guided_search")
def guided(request: HttpRequest) -> HttpResponse:
    """Passgenaue Hilfe: ranked offers for a family's situation. GET shows the empty form;
    the situation comes by POST (with CSRF), so it never appears in a URL, an access log or
    the browser history. Nothing is stored: no model, no session, no log line (guided.py)."""
    form = guided_search.GuidedForm(request.POST if request.method == "POST" else None)
    matches = None
    if form.is_bound and form.is_valid():
        matches = guided_search.rank(form.situation())
    response = render(
        request,
        "search/guided.html",
        {"form": form, "matches": matches},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
    # The inputs describe a family: keep them out of shared caches and browser history caches.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


AREA_OFFERS_SHOWN = 6


def area_context(request: HttpRequest, area: Any) -> dict[str, Any] | None:
    """The offers block on an area's start page (hidden when no offer serves the area).

    Count and examples come from the search index (services.area_offers: an offer in a
    sub-area counts for the area above it), so the block agrees with the search it links to:
    the first offers here are the first of that search (ordered by name).
    """
    found = area_offers(area_id=area.pk, first=AREA_OFFERS_SHOWN)
    if not found.count:
        return None
    query = urlencode({"area": area.pk})
    limit = export_max_offers()
    return {
        "area": area,
        "count": found.count,
        # The PDF and CSV catalogue refuse larger areas (quartier/offers/export.py).
        "catalogue": found.count <= limit,
        "catalogue_limit": limit,
        "offers": found.offers,
        "search_url": reverse("search:search") + "?" + query,
        "map_url": reverse("search:map") + "?" + query,
    }
