"""Writes for alerts (saved searches, area alerts, news alerts such as new events): subscribe,
confirm, unsubscribe, send digests, purge the unconfirmed."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.alerts import mail, sources, throttle, tokens
from quartier.alerts.models import CONSENT_TEXT, Frequency, Kind, Subscription
from quartier.alerts.selectors import InvalidFilters, digest_for
from quartier.areas.models import Area
from quartier.core import consent
from quartier.core.tasks import enqueue_on_commit
from quartier.offers.models import TaxonomyTerm
from quartier.search.services import index_refresh

logger = logging.getLogger(__name__)


def _label(
    *,
    kind: str,
    query: str,
    params: str,
    area: Area | None,
    source: str = "",
    topics: tuple = (),
) -> str:
    registered = sources.get(source) if source else None
    if kind == Kind.NEWS and registered is not None:
        return registered.describe(sources.Scope(area=area, topics=topics))[:300]
    if kind == Kind.AREA and area is not None:
        return _("New offers in %(area)s") % {"area": area.name}
    parts = [f"„{query}“"] if query else []
    if params:
        parts.append(_("with filters"))
    return (_("Search: %(what)s") % {"what": " ".join(parts)})[:300]


class ConfirmationRefused(Exception):
    """No confirmation mail may go to this address now; nothing was stored."""

    def __init__(self, refusal: throttle.Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


@dataclass(frozen=True)
class Subscribed:
    subscription: Subscription
    mailed: bool  # a confirmation mail was queued by this call


@transaction.atomic
def subscription_create(
    *,
    user,
    email: str,
    kind: str,
    frequency: str,
    language: str,
    query: str = "",
    params: str = "",
    area: Area | None = None,
    client: str = "",
    source: str = "",
    topics: Iterable[TaxonomyTerm] = (),
) -> Subscribed:
    """Save a search, an area alert or a news alert (`source`, with an area and/or `topics`).

    An account's subscription is active at once when the account's address is proven
    (`User.email_verified_at`). Any other waits for the confirmation link (double opt-in);
    asking again for the same thing re-sends that link instead of
    storing a second copy. Confirmation mails are limited per address and per `client` (its
    IP address; throttle.py): asking again for a pending subscription within the address's
    gap sends nothing (`mailed` is False); any other refusal raises ConfirmationRefused.
    """
    owner = {"user": user} if user is not None and user.is_authenticated else {"user": None}
    lookup = {
        **owner,
        "kind": kind,
        "query": query,
        "params": params,
        "area": area,
        "source": source,
    }
    if owner["user"] is None:
        lookup["email"] = email.strip().lower()
    topics = tuple(sorted(set(topics), key=lambda term: str(term.pk)))
    subscription = _same(Subscription.objects.filter(**lookup), topics)
    if subscription is not None and owner["user"] is None and subscription.confirmed_at:
        return _asked_again(subscription, client=client)
    if subscription is None:
        subscription = Subscription(**lookup)
    subscription.frequency = frequency
    subscription.language = language[:10]
    subscription.label = _label(
        kind=kind, query=query, params=params, area=area, source=source, topics=topics
    )
    confirmed_now = (
        owner["user"] is not None
        and subscription.confirmed_at is None
        and owner["user"].email_verified_at is not None
    )
    if confirmed_now:
        # Only an account whose address a mailed link proved skips the double opt-in.
        subscription.confirmed_at = timezone.now()
    mailed = False
    if subscription.confirmed_at is None:
        mailed = _may_mail(subscription.recipient, client, exists=subscription.pk is not None)
    subscription.save()
    subscription.topics.set(topics)
    if confirmed_now:
        consent.record(subscription, purpose="alerts.subscription", text=CONSENT_TEXT)
    if mailed:
        # Queued when the subscription is committed, never for one rolled back.
        enqueue_on_commit(mail.send_confirmation, subscription.pk)
    return Subscribed(subscription=subscription, mailed=mailed)


def _same(candidates, topics: tuple) -> Subscription | None:
    """The subscription among `candidates` (same owner, kind, area, source...) with exactly
    these topics: asking again for it finds it instead of storing a second copy."""
    wanted = {term.pk for term in topics}
    for candidate in candidates.prefetch_related("topics"):
        if {term.pk for term in candidate.topics.all()} == wanted:
            return candidate
    return None


def _asked_again(subscription: Subscription, *, client: str) -> Subscribed:
    """Someone asks by e-mail for an alert that address already confirmed.

    Nothing changes without proof of the address: the frequency stays, and the address gets
    a mail saying the alert is active, with its unsubscribe link. The page answers as for a new
    alert, so that it does not tell strangers which alerts an address has.
    """
    mailed = _may_mail(subscription.email, client, exists=True)
    if mailed:
        enqueue_on_commit(mail.send_confirmation, subscription.pk)
    return Subscribed(subscription=subscription, mailed=mailed)


def _may_mail(address: str, client: str, *, exists: bool) -> bool:
    """Whether a mail about this subscription may go out now (throttle.py). Asking again for
    an existing one within the address's gap sends nothing (False); any other refusal
    raises ConfirmationRefused."""
    refusal = throttle.reserve(address=address, client=client)
    if refusal is not None and not (exists and refusal.reason == "address_recent"):
        raise ConfirmationRefused(refusal)
    return refusal is None


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    """Confirm by the signed link; None when the subscription no longer exists."""
    pk = tokens.read_confirm(token)
    subscription = Subscription.objects.select_for_update().filter(pk=pk).first()
    if subscription is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        user = subscription.user
        if user is not None and user.email_verified_at is None:
            # The link reached the account's address: it is proven now.
            user.email_verified_at = subscription.confirmed_at
            user.save(update_fields=["email_verified_at"])
        # The double opt-in: consent is given with the link, to the text the form showed.
        consent.record(subscription, purpose="alerts.subscription", text=CONSENT_TEXT)
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> bool:
    """Delete the subscription the signed link names (retention: nothing is kept)."""
    pk = tokens.read_unsubscribe(token)
    deleted, _detail = Subscription.objects.filter(pk=pk).delete()
    return bool(deleted)


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    subscription.delete()


@transaction.atomic
def subscriptions_purge(*, now: dt.datetime, dry_run: bool = False) -> dict[str, int]:
    """Apply the retention rules (docs/privacy-alerts.md); return the rows per kind.

    A dry run only counts them.
    """
    expired = {
        "unconfirmed alert subscriptions": Subscription.objects.stale_unconfirmed(now),
        "alert subscriptions with invalid filters": Subscription.objects.stale_invalid(now),
    }
    counts = {kind: rows.count() for kind, rows in expired.items()}
    if not dry_run:
        for rows in expired.values():
            rows.delete()
    return counts


def _pause(subscription: Subscription, problem: InvalidFilters, now: dt.datetime) -> None:
    """Pause a saved search whose filters stopped working; tell the subscriber once."""
    if subscription.filters_invalid_since is not None:
        return
    subscription.filters_invalid_since = now
    subscription.save(update_fields=["filters_invalid_since"])
    mail.send_filters_invalid(subscription)
    # For the operators: which subscription and which filters, never the address.
    logger.warning(
        "Alert subscription %s paused: the search page refuses its filters %s",
        subscription.pk,
        ", ".join(sorted(problem.check.bad_keys)),
    )


def _send_one(subscription: Subscription, now: dt.datetime) -> bool:
    """Send one subscription its digest (or pause it); True when a digest went out."""
    try:
        digest = digest_for(subscription, subscription.since, now)
    except InvalidFilters as problem:
        _pause(subscription, problem, now)
        return False
    subscription.filters_invalid_since = None  # (again) filters that work
    if not digest.empty:
        mail.send_digest(subscription, digest)
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at", "filters_invalid_since"])
    return not digest.empty


def digests_send(*, frequency: str, now: dt.datetime) -> int:
    """Send each due subscription of this frequency its digest; return how many mails left.

    Each subscription is handled on its own, so one failing address or search does not hold
    back the others; its `last_sent_at` moves only when its mail went out (or had nothing).
    A saved search whose filters stopped working is paused instead (`_pause`).
    """
    interval = dt.timedelta(days=1 if frequency == Frequency.DAILY else 7)
    # A little slack, so that a cron job running a few minutes early still counts as due.
    due_before = now - interval + dt.timedelta(hours=1)
    due = (
        Subscription.objects.confirmed()
        .filter(frequency=frequency)
        .select_related("user", "area")
        .prefetch_related("topics")
    )
    # Load the search's shared index outside the per-subscription transactions, which then
    # read it instead of building a private copy each (quartier.search.services.index_refresh).
    index_refresh()
    sent = 0
    for subscription in due.iterator(chunk_size=500):
        if subscription.last_sent_at and subscription.last_sent_at > due_before:
            continue
        try:
            # One transaction each: a failure rolls back only this subscription's changes.
            with transaction.atomic():
                sent += _send_one(subscription, now)
        except Exception:
            # The next run tries again (last_sent_at did not move); the others go out now.
            logger.exception("Alert digest for subscription %s failed", subscription.pk)
    return sent
