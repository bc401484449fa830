"""Which offers a subscription is about: the search page's own search, or an area's offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from quartier.alerts.models import Kind, Subscription
from quartier.areas.selectors import descendant_ids
from quartier.offers.models import Offer

# A saved search is matched through the search layer page by page; beyond this many hits the
# digest looks at the best-ranked ones only (docs/privacy-alerts.md says so too).
MAX_MATCHES = 2_000
PER_PAGE = 100


@dataclass
class Digest:
    new: list[Offer] = field(default_factory=list)
    changed: list[Offer] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed)


def _search_ids(subscription: Subscription) -> set:
    from quartier.search.forms import SearchForm
    from quartier.search.services import search_offers

    form = SearchForm(QueryDict(subscription.params))
    if not form.is_valid():
        return set()
    filters = form.filters()
    filters.open_now = False  # "open now" means nothing for a digest
    found: set = set()
    page = 1
    while len(found) < MAX_MATCHES:
        result = search_offers(
            query=subscription.query, filters=filters, page=page, per_page=PER_PAGE
        )
        found.update(offer.pk for offer in result.offers)
        if page >= result.pages or not result.hits:
            break
        page += 1
    return found


def digest_for(subscription: Subscription, since: dt.datetime) -> Digest:
    """Public offers of the subscription that were created or changed after `since`."""
    changed = Offer.objects.public().filter(Q(created_at__gt=since) | Q(updated_at__gt=since))
    if subscription.kind == Kind.AREA:
        areas = descendant_ids([subscription.area_id])
        changed = changed.filter(
            pk__in=Offer.areas.through.objects.filter(area_id__in=areas).values("offer_id")
        )
    elif not changed.exists():
        return Digest()
    else:
        changed = changed.filter(pk__in=_search_ids(subscription))
    digest = Digest()
    for offer in changed.select_related("organisation").order_by("name"):
        (digest.new if offer.created_at > since else digest.changed).append(offer)
    return digest


def search_url(subscription: Subscription) -> str:
    """The search page showing what the subscription covers."""
    if subscription.kind == Kind.AREA:
        query = urlencode({"area": subscription.area_id})
    else:
        params = QueryDict(subscription.params, mutable=True)
        if subscription.query:
            params["q"] = subscription.query
        query = params.urlencode()
    return f"{settings.SITE_URL}{reverse('search:search')}?{query}"
