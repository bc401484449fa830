"""Public pages of an offer: the detail page, its print view, the easy-language switch."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from quartier.core.pagecache import cache_public_page
from quartier.core.registry import render_sections
from quartier.offers import hooks, selectors
from quartier.offers.models import Offer
from quartier.offers.presentation import hours_of, json_ld, json_ld_script

EASY_LANGUAGE_COOKIE = "quartier_leichte_sprache"
ONE_YEAR = 365 * 24 * 3600


def wants_easy_language(request: HttpRequest) -> bool:
    return request.COOKIES.get(EASY_LANGUAGE_COOKIE) == "1"


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
    easy = wants_easy_language(request) and bool(offer.easy_language_description)
    return {
        "offer": offer,
        "organisation": offer.organisation,
        "hours": hours_of(offer),
        "contacts": selectors.public_contacts(offer),
        "easy": easy,
        "easy_chosen": wants_easy_language(request),
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


@require_POST
def easy_language(request: HttpRequest) -> HttpResponse:
    """Switch the easy-language version on or off (kept in a cookie for a year)."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(
            EASY_LANGUAGE_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True
        )
    else:
        response.delete_cookie(EASY_LANGUAGE_COOKIE, samesite="Lax")
    return response
