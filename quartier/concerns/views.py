"""Public pages of concerns: report form, list and map (with GeoJSON), a concern's public page,
the reporter's tracking page, nearby concerns while typing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.concerns import selectors, services, tokens
from quartier.concerns.forms import FilterForm, ReportForm
from quartier.concerns.models import PUBLIC_DECIMALS, Concern, Source, Status
from quartier.core import answercache
from quartier.core.geo import BBox
from quartier.core.htmx import render_page
from quartier.core.throttle import throttle_post

PAGE_SIZE = 50
GEOJSON_MAX = 5000


def _filters(request: HttpRequest) -> tuple[FilterForm, dict, bool]:
    form = FilterForm(request.GET or None)
    if not request.GET:
        return form, {}, True
    valid = form.is_valid()
    return form, (form.cleaned_data if valid else {}), valid


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in list(params):
        if key not in ("area", "category", "status"):
            del params[key]
    return params.urlencode()


@require_GET
def concern_list(request: HttpRequest) -> HttpResponse:
    """Public list and map, filtered by area, category and status; no personal data."""
    form, filters, valid = _filters(request)
    concerns = selectors.public_concerns(filters).select_related("category", "area")
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query(request),
        "area": filters.get("area"),
    }
    return render_page(
        request,
        "concerns/list.html",
        "concerns/partials/results.html",
        context,
        status=200 if valid else 400,
    )


def feature(concern: Concern) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [concern.public_lon, concern.public_lat]},
        "properties": {
            "id": concern.pk,
            "number": concern.number,
            "category": concern.category.name,
            "status": concern.status,
            "status_label": str(concern.get_status_display()),
            "summary": concern.summary,
            "url": concern.get_absolute_url(),
        },
    }


def _point_features(rows: list[tuple]) -> list[dict]:
    """`feature()` of selectors.map_points' rows, without a model instance per row: the same
    properties, the URL and the status labels made once per response."""
    url = reverse("concerns:detail", kwargs={"pk": 0})
    head, tail = url.rsplit("0", 1)
    labels = {value: str(label) for value, label in Status.choices}
    features = []
    for pk, lat, lon, status, text, length, created_at, category in rows:
        summary = " ".join(text.split())
        if len(summary) > 140:
            summary = summary[:139] + "…"
        elif length > selectors.SUMMARY_SOURCE:  # mostly blanks before the cut
            summary += "…"
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(lon, PUBLIC_DECIMALS), round(lat, PUBLIC_DECIMALS)],
                },
                "properties": {
                    "id": pk,
                    "number": f"{created_at.year}-{pk}",
                    "category": category,
                    "status": status,
                    "status_label": labels.get(status, status),
                    "summary": summary,
                    "url": f"{head}{pk}{tail}",
                },
            }
        )
    return features


@require_GET
def geojson(request: HttpRequest) -> HttpResponse:
    """Public concerns with a place inside `bbox` (west,south,east,north) as GeoJSON; the
    coordinates rounded (models.PUBLIC_DECIMALS). Through the answer cache
    (core/answercache.py): the same bytes, a strong ETag, 304 on `If-None-Match`; the key
    holds the content generation, language, host, path and the exact query string."""
    return answercache.cached(request, "concerns:geojson", lambda: _geojson(request))


def _geojson(request: HttpRequest) -> HttpResponse:
    form, filters, valid = _filters(request)
    if not valid:
        errors = {key: [str(e) for e in value] for key, value in form.errors.items()}
        message = _("The filters are not valid.")
        return JsonResponse({"message": message, "errors": errors}, status=400)
    concerns = selectors.public_concerns(filters)
    if request.GET.get("bbox"):
        try:
            box = BBox.parse(request.GET["bbox"])
        except ValueError as exc:
            return JsonResponse({"message": str(exc)}, status=400)
        concerns = concerns.in_bbox(box.min_lon, box.min_lat, box.max_lon, box.max_lat)
    rows = selectors.map_points(concerns, limit=GEOJSON_MAX + 1)
    truncated = len(rows) > GEOJSON_MAX
    data = {
        "type": "FeatureCollection",
        "features": _point_features(rows[:GEOJSON_MAX]),
        "truncated": truncated,
    }
    return JsonResponse(data, content_type="application/geo+json")


@throttle_post("concerns.report")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reported = services.concern_report(
                category=data["category"],
                description=data["description"],
                area=data["area"],
                lat=data["lat"],
                lon=data["lon"],
                address=data["address"],
                uploads=data["photos"],
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                contact_consent=data["contact_consent"],
                consent_text=form.fields["contact_consent"].label,
                source=Source.WEB,
                language=get_language() or "de",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your concern has the number %(number)s. Keep the address of "
                    "this page: it shows what becomes of your concern."
                )
                % {"number": reported.concern.number},
            )
            return redirect("concerns:track", token=reported.token)
    status = 400 if request.method == "POST" else 200
    return render(request, "concerns/report.html", {"form": form}, status=status)


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """Open concerns near a point (while someone types a new one or merges): an htmx
    fragment, or JSON for other callers."""
    try:
        lat = float(request.GET["lat"])
        lon = float(request.GET["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except (KeyError, ValueError):
        return JsonResponse({"message": _("Give lat and lon of a valid position.")}, status=400)
    exclude = request.GET.get("exclude")
    found = selectors.nearby(
        lat=lat, lon=lon, exclude=int(exclude) if exclude and exclude.isdigit() else None
    )
    if getattr(request, "htmx", None):
        return render(request, "concerns/partials/nearby.html", {"nearby": found})
    return JsonResponse({"type": "FeatureCollection", "features": [feature(c) for c in found]})


def _public_context(concern: Concern) -> dict:
    return {
        "concern": concern,
        "updates": selectors.public_updates(concern),
        "decisions": selectors.agenda_decisions(concern),
    }


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = get_object_or_404(
        Concern.objects.select_related("category", "area", "merged_into").filter(
            area__is_public=True
        ),
        pk=pk,
    )
    return render(request, "concerns/detail.html", _public_context(concern))


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's page (signed link): public status and answers; POST withdraws the
    consent to replies and deletes the contact data at once."""
    pk = tokens.concern_id(token)
    concern = (
        Concern.objects.select_related("category", "area", "merged_into").filter(pk=pk).first()
        if pk
        else None
    )
    if concern is None:
        raise Http404
    if request.method == "POST":
        services.contact_forget(concern=concern)
        messages.success(request, _("Your contact data has been deleted. You get no more mails."))
        return redirect(reverse("concerns:track", kwargs={"token": token}))
    context = _public_context(concern) | {
        "tracking": True,
        "has_contact": bool(concern.reporter_email),
    }
    return render(request, "concerns/detail.html", context)
