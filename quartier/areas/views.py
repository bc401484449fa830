from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from quartier.areas.models import Area
from quartier.areas.selectors import breadcrumbs
from quartier.core.pagecache import cache_public_page
from quartier.core.registry import registry, render_sections

PICKER_LIMIT = 12


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Start page: the area picker and the top-level areas."""
    top_areas = (
        Area.objects.public()
        .filter(parent_links__isnull=True)
        .select_related("kind")
        .annotate(child_count=Count("child_links"))
        .order_by("kind__level", "name")
    )
    return render(request, "areas/home.html", {"top_areas": top_areas})


@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type: areas whose name (or official key) matches `q`, as an htmx fragment.

    Without htmx the same URL renders a full result page, so the picker works without JavaScript.
    """
    query = request.GET.get("q", "")[:100]
    results = (
        Area.objects.public().search(query).select_related("kind").order_by("kind__level", "name")
    )[:PICKER_LIMIT]
    context = {"query": query, "results": results}
    if request.htmx:
        return render(request, "areas/partials/picker_results.html", context)
    return render(request, "areas/picker.html", context)


@require_GET
@cache_public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An area's public start page: what the platform holds there (sections from the apps)."""
    area = get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)
    children = (
        Area.objects.public().filter(parent_links__parent=area).select_related("kind").distinct()
    )
    sections = render_sections(registry.area_sections, request, area)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "crumbs": breadcrumbs(area),
            "children": children,
            "sections": sections,
        },
    )
