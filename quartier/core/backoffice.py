from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from quartier.core.registry import registry, render_sections


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The back-office start: each app contributes a section for what the user may work on."""
    sections = render_sections(registry.dashboard_sections, request, request.user)
    return render(request, "core/dashboard.html", {"sections": sections})
