"""The search page, the map page and the guided search ("Passgenaue Hilfe")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from quartier.core.htmx import render_page
from quartier.core.permissions import permission_required
from quartier.search import guided as guided_search
from quartier.search.forms import SearchForm
from quartier.search.models import SearchFacet
from quartier.search.services import search_offers


def may_use_guided_search(user: Any) -> bool:
    return user.has_perm("search.use_guided_search")


def _query_string(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def _search_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return {"form": form, "result": None, "facets": {}}, 400
    result = search_offers(
        query=form.cleaned_data["q"], filters=form.filters(), page=form.cleaned_data["page"] or 1
    )
    query_string = _query_string(request)
    context = {
        "form": form,
        "result": result,
        "facets": form.facet_options(result.facets),
        "flags": [
            (name, form[name], result.facets.get(name, 0))
            for name in ("free", "barrier_free", "open_now")
        ],
        "query_string": query_string,
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


@require_GET
@permission_required("search.use_guided_search")
def guided(request: HttpRequest) -> HttpResponse:
    """Passgenaue Hilfe: ranked offers for a family's situation. Nothing is stored: a GET
    form, no model, and the inputs are not logged (see guided.py)."""
    form = guided_search.GuidedForm(request.GET or None)
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


def area_context(request: HttpRequest, area: Any) -> dict[str, Any] | None:
    """The "offers here" block on an area's start page (hidden when there are none)."""
    count = (
        SearchFacet.objects.filter(value__key=f"area:{area.pk}")
        .aggregate(n=Count("document_id"))
        .get("n")
    )
    if not count:
        return None
    return {
        "area": area,
        "count": count,
        "url": reverse("search:search") + "?" + urlencode({"area": area.pk}),
    }
