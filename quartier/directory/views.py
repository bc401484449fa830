from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from quartier.directory.models import Organisation
from quartier.directory.selectors import public_positions


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.active().select_related("parent"), slug=slug
    )
    contacts = public_positions().filter(organisation=organisation).select_related("person")
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "contacts": contacts, "areas": organisation.areas.all()},
    )
