from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from quartier.directory.forms import OrganisationFilterForm
from quartier.directory.models import Organisation
from quartier.directory.selectors import public_organisations, public_positions

PAGE_SIZE = 20
FILTERS = ("q", "area", "kind")


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The public index of organisations with their public contacts, filtered and paged."""
    params = request.GET.copy()
    for key in list(params):
        if key not in FILTERS:
            del params[key]
    form = OrganisationFilterForm(params or None)
    valid = not params or form.is_valid()
    filters = form.cleaned_data if params and valid else {}
    organisations = public_organisations(
        text=filters.get("q") or "", area=filters.get("area"), kind=filters.get("kind") or ""
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/organisation_list.html",
        {"form": form, "page": page, "query": params.urlencode(), "filtered": bool(filters)},
        status=200 if valid else 400,
    )


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
