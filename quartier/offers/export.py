"""The catalogue of one Sozialraum (or any area) as a print-ready PDF and as CSV.

Both are public: they hold only published offers and their public fields, the same as the
offer pages. The PDF is cached per area and catalogue state, because rendering it costs seconds
for a large area and anyone may request it.

Both are made for one area of a manageable size: an area with more than `export_max_offers()`
published offers (a Landkreis, the whole Land) gets a page that asks for a smaller area instead
of a PDF that would take minutes and hundreds of pages to render, or a CSV that loads the
whole catalogue into memory. The bulk data has its own door: the HSDS API and data package.

The CSV is opened by spreadsheet programs, and its cells come from editors: a cell that starts
like a formula is prefixed with an apostrophe, so that it shows as text and is never evaluated.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartier.areas.models import Area, AreaLink
from quartier.core import csvfiles
from quartier.offers.presentation import hours_of, weekday_name
from quartier.offers.selectors import area_offers, group_by_main_topic

CSV_COLUMNS = (
    "id",
    "name",
    "organisation",
    "topics",
    "target_groups",
    "languages",
    "cost",
    "address",
    "phone",
    "email",
    "url",
    "opening_hours",
    "wheelchair_accessible",
    "last_verified",
    "page",
)

EXPORT_MAX_OFFERS_DEFAULT = 300  # rendering 500 offers took 35 s on a loaded 2-core machine
SUB_AREAS_SHOWN = 50


def export_max_offers() -> int:
    """The most offers an area's PDF or CSV catalogue may hold (setting, read at call time)."""
    return int(getattr(settings, "QUARTIER_OFFER_EXPORT_MAX", EXPORT_MAX_OFFERS_DEFAULT))


def _area(slug: str) -> Area:
    return get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)


def _opening_text(offer: Any) -> str:
    rows = []
    for schedule in hours_of(offer).weekly:
        if schedule.opens_at and schedule.closes_at:
            rows.append(f"{weekday_name(schedule.weekday)} {schedule.hours_label}")
    return "; ".join(rows)


def area_html(area: Area, offers: list[Any]) -> str:
    """The printable catalogue as HTML: groups by main topic, then an index A–Z."""
    seen: set[Any] = set()
    groups = []
    for name, members in group_by_main_topic(offers):
        entries = []
        for offer in members:
            # The index links to an offer's first appearance (it may sit under two topics).
            anchor = "" if offer.pk in seen else f"offer-{offer.pk}"
            entries.append({"offer": offer, "anchor": anchor})
            seen.add(offer.pk)
        groups.append((name, entries))
    return render_to_string(
        "offers/export/area.html",
        {
            "area": area,
            "groups": groups,
            "offers": sorted(offers, key=lambda offer: offer.name.casefold()),
            "generated": timezone.localdate(),
        },
    )


def render_area_pdf(area: Area, offers: list[Any], base_url: str) -> bytes:
    from weasyprint import HTML  # imported late: loading pango costs time at start-up

    return HTML(string=area_html(area, offers), base_url=base_url).write_pdf()


def _too_large(request: HttpRequest, area: Area, count: int, kind: str) -> HttpResponse:
    """The answer for an area too large to export: what the limit is, and smaller areas."""
    children = (
        Area.objects.public()
        .filter(pk__in=AreaLink.objects.filter(parent=area).values("child_id"))
        .select_related("kind")
        .order_by("name")[:SUB_AREAS_SHOWN]
    )
    return render(
        request,
        "offers/export/too_large.html",
        {
            "area": area,
            "count": count,
            "limit": export_max_offers(),
            "kind": kind,
            "children": children,
        },
        status=400,
    )


@require_GET
def area_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    area = _area(slug)
    queryset = area_offers(area)
    state = queryset.order_by().aggregate(changed=Max("updated_at"), count=Count("pk"))
    if state["count"] > export_max_offers():
        return _too_large(request, area, state["count"], "PDF")
    key = (
        "offers:area-pdf:"
        + hashlib.sha256(
            f"{area.pk}:{area.updated_at}:{state}:{get_language()}".encode()
        ).hexdigest()
    )
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_area_pdf(area, list(queryset), request.build_absolute_uri("/"))
        cache.set(key, pdf, 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="angebote-{area.slug}.pdf"'
    return response


@require_GET
def area_csv(request: HttpRequest, slug: str) -> HttpResponse:
    area = _area(slug)
    queryset = area_offers(area)
    count = queryset.order_by().count()
    if count > export_max_offers():
        return _too_large(request, area, count, "CSV")
    return csvfiles.csv_response(
        f"angebote-{area.slug}.csv",
        (*CSV_COLUMNS, pgettext("catalogue column", "Serves")),
        (_csv_row(request, offer) for offer in queryset),
        separator=csvfiles.separator_for(request),
    )


def _csv_row(request: HttpRequest, offer: Any) -> list[Any]:
    locations = list(offer.locations.all())
    return [
        offer.pk,
        offer.name,
        offer.organisation.name,
        "; ".join(topic.localized_name for topic in offer.topics.all()),
        "; ".join(group.localized_name for group in offer.target_groups.all()),
        "; ".join(language.localized_name for language in offer.languages.all()),
        offer.get_cost_display(),
        " | ".join(location.address_line for location in locations),
        offer.phone,
        offer.email,
        offer.url,
        _opening_text(offer),
        _("yes") if any(loc.wheelchair_accessible for loc in locations) else _("no"),
        offer.last_verified.isoformat() if offer.last_verified else "",
        request.build_absolute_uri(offer.get_absolute_url()),
        _serves(offer),
    ]


def _serves(offer: Any) -> str:
    """The enclosing area an inherited offer is filed under ("Trier" for a city-wide offer in
    a quarter's catalogue: the printed catalogue's "Serves all of Trier"); empty for the
    area's own offers. `area_offers` sets `own` and `enclosing_areas`, smallest first."""
    if getattr(offer, "own", True) is not False:
        return ""
    enclosing = getattr(offer, "enclosing_areas", None) or []
    return enclosing[0].name if enclosing else ""
