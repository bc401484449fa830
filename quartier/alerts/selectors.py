"""Which offers a subscription is about (the search page's own search, or an area's offers),
or which news of another app (alerts/sources.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from quartier.alerts import filters, sources
from quartier.alerts.models import Kind, Subscription
from quartier.areas.selectors import reach
from quartier.offers.models import Offer
from quartier.search.services import SearchForm, search_offers

# A saved search is matched through the search layer page by page; beyond this many hits the
# digest looks at the best-ranked ones only (docs/privacy-alerts.md says so too).
MAX_MATCHES = 2_000
PER_PAGE = 100


@dataclass
class Digest:
    new: list[Offer] = field(default_factory=list)
    changed: list[Offer] = field(default_factory=list)
    items: list[sources.Item] = field(default_factory=list)  # another app's news (sources.py)

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.items)


class InvalidFilters(Exception):
    """The saved search's filters are refused by the search page's form."""

    def __init__(self, check: filters.FilterCheck) -> None:
        super().__init__("; ".join(check.problems))
        self.check = check


def _search_ids(subscription: Subscription, form: SearchForm) -> set:
    search = form.filters()
    search.open_now = False  # "open now" means nothing for a digest
    found: set = set()
    page = 1
    while len(found) < MAX_MATCHES:
        result = search_offers(
            query=subscription.query, filters=search, page=page, per_page=PER_PAGE
        )
        found.update(hit.summary.id for hit in result.hits)
        if page >= result.pages or not result.hits:
            break
        page += 1
    return found


def scope(subscription: Subscription) -> sources.Scope:
    """A news alert's area and topics, as its source reads them (topics prefetched or not)."""
    return sources.Scope(area=subscription.area, topics=tuple(subscription.topics.all()))


def digest_for(
    subscription: Subscription, since: dt.datetime, until: dt.datetime | None = None
) -> Digest:
    """Public offers of the subscription that were created or changed after `since`; for a
    news alert, its source's news of (since, until].

    Raises InvalidFilters for a saved search whose filters the search page refuses, or an area
    alert whose area is no longer public (checked first, so that the subscriber hears of it
    even in a week without changes).
    """
    check = filters.check_subscription(subscription)
    if not check.valid:
        raise InvalidFilters(check)
    if subscription.source:
        source = sources.get(subscription.source)
        news = source.news(scope(subscription), since, until or timezone.now()) if source else []
        return Digest(items=news)
    changed = Offer.objects.public().filter(Q(created_at__gt=since) | Q(updated_at__gt=since))
    if subscription.kind == Kind.AREA:
        # What the area's page lists: its offers, those below it and those of the areas
        # enclosing it (a new city-wide service is news for every quarter).
        areas = reach([subscription.area_id]).all
        changed = changed.filter(
            pk__in=Offer.areas.through.objects.filter(area_id__in=areas).values("offer_id")
        )
    else:
        if not changed.exists():
            return Digest()
        assert check.form is not None  # a saved search's check always has its form
        changed = changed.filter(pk__in=_search_ids(subscription, check.form))
    digest = Digest()
    for offer in changed.select_related("organisation").order_by("name"):
        (digest.new if offer.created_at > since else digest.changed).append(offer)
    return digest


def search_url(subscription: Subscription, params: str | None = None) -> str:
    """The search page showing what the subscription covers (with other `params` if given)."""
    source = sources.get(subscription.source) if subscription.source else None
    if source is not None:  # a news alert: the source's own list, never the search page
        return source.link(scope(subscription))
    if subscription.kind == Kind.AREA and params is None:
        query = urlencode({"area": subscription.area_id})
    else:
        data = QueryDict(subscription.params if params is None else params, mutable=True)
        if subscription.query:
            data["q"] = subscription.query
        query = data.urlencode()
    return f"{settings.SITE_URL}{reverse('search:search')}?{query}"
