"""Public pages of an offer: the detail page, its easy-language page and its print view."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from quartier.core.pagecache import cache_public_page
from quartier.core.registry import render_sections
from quartier.offers import hooks, selectors
from quartier.offers.models import Offer
from quartier.offers.presentation import hours_of, json_ld, json_ld_script


def _hsds_url(offer: Offer) -> str:
    """The offer in the HSDS API, when that API is installed (looked up by name, not import)."""
    try:
        return reverse("api:hsds_service", kwargs={"id": offer.pk})
    except NoReverseMatch:
        return ""


def _context(request: HttpRequest, pk: Any) -> dict[str, Any]:
    try:
        offer = selectors.public_offer(pk)
    except Offer.DoesNotExist as exc:
        raise Http404 from exc
    return {
        "offer": offer,
        "organisation": offer.organisation,
        "hours": hours_of(offer),
        "contacts": selectors.public_contacts(offer),
        "hsds_url": _hsds_url(offer),
        "json_ld": json_ld_script(json_ld(offer, absolute=request.build_absolute_uri)),
    }


@require_GET
@cache_public_page
def detail(request: HttpRequest, pk: Any) -> HttpResponse:
    context = _context(request, pk)
    context["sections"] = render_sections(hooks.offer_sections, request, context["offer"])
    return render(request, "offers/detail.html", context)


@require_GET
def print_view(request: HttpRequest, pk: Any) -> HttpResponse:
    return render(request, "offers/print.html", _context(request, pk))


@require_GET
@cache_public_page
def easy(request: HttpRequest, pk: Any) -> HttpResponse:
    """The offer in easy language (Leichte Sprache) at an address of its own, so that it can be
    linked and bookmarked: plain headings and labels, the easy text where the provider wrote
    one, else a plain notice with a link to the standard text."""
    return render(request, "offers/easy.html", _context(request, pk))
