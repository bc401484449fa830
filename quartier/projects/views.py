"""The public view: running projects of a district on a map and in a list, completed projects
with their results, and one page per project (goal and partners; never people's data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from quartier.areas.models import Area
from quartier.core.registry import render_sections
from quartier.projects import hooks, selectors
from quartier.projects.models import Project, Status


def project_list(request: HttpRequest) -> HttpResponse:
    area = None
    slug = request.GET.get("area", "")
    if slug:
        area = get_object_or_404(Area.objects.public(), slug=slug)
    running = list(selectors.public_projects(area, Status.RUNNING)[:200])
    completed = list(selectors.public_projects(area, Status.COMPLETED)[:200])
    points = [
        {"title": p.title, "lat": p.lat, "lon": p.lon, "url": p.get_absolute_url()}
        for p in running
        if p.lat is not None and p.lon is not None
    ]
    context = {"area": area, "running": running, "completed": completed, "points": points}
    return render(request, "projects/list.html", context)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.public()
        .select_related("lead_organisation")
        .prefetch_related("partners", "areas", "goals__field__concept", "target_groups"),
        slug=slug,
    )
    sections = render_sections(hooks.project_sections, request, project)
    return render(request, "projects/detail.html", {"project": project, "sections": sections})
