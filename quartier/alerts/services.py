"""Writes for alerts: subscribe, confirm, unsubscribe, send digests, purge the unconfirmed."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from quartier.alerts import tokens
from quartier.alerts.models import Frequency, Kind, Subscription
from quartier.areas.models import Area

logger = logging.getLogger(__name__)


def _label(*, kind: str, query: str, params: str, area: Area | None) -> str:
    from django.utils.translation import gettext as _

    if kind == Kind.AREA and area is not None:
        return _("New offers in %(area)s") % {"area": area.name}
    parts = [f"„{query}“"] if query else []
    if params:
        parts.append(_("with filters"))
    return (_("Search: %(what)s") % {"what": " ".join(parts)})[:300]


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
) -> Subscription:
    """Save a search or an area alert.

    An account's subscription is active at once. One by e-mail waits for the confirmation
    link (double opt-in); asking again for the same thing re-sends that link instead of
    storing a second copy.
    """
    from quartier.alerts.tasks import send_confirmation

    owner = {"user": user} if user is not None and user.is_authenticated else {"user": None}
    lookup = {**owner, "kind": kind, "query": query, "params": params, "area": area}
    if owner["user"] is None:
        lookup["email"] = email.strip().lower()
    subscription = Subscription.objects.filter(**lookup).first()
    if subscription is None:
        subscription = Subscription(**lookup)
    subscription.frequency = frequency
    subscription.language = language[:10]
    subscription.label = _label(kind=kind, query=query, params=params, area=area)
    if owner["user"] is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
    subscription.save()
    if subscription.confirmed_at is None:
        # Queued in the same transaction: the task row exists only if the subscription does.
        send_confirmation.enqueue(subscription.pk)
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    """Confirm by the signed link; None when the subscription no longer exists."""
    pk = tokens.read(token, tokens.CONFIRM_SALT)
    subscription = Subscription.objects.select_for_update().filter(pk=pk).first()
    if subscription is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> bool:
    """Delete the subscription the signed link names (retention: nothing is kept)."""
    pk = tokens.read(token, tokens.UNSUBSCRIBE_SALT)
    deleted, _detail = Subscription.objects.filter(pk=pk).delete()
    return bool(deleted)


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    subscription.delete()


@transaction.atomic
def subscriptions_purge_unconfirmed(*, now: dt.datetime) -> int:
    deleted, _detail = Subscription.objects.stale_unconfirmed(now).delete()
    return deleted


def digests_send(*, frequency: str, now: dt.datetime) -> int:
    """Send each due subscription of this frequency its digest; return how many mails left.

    Each subscription is handled in its own transaction, so one failing address does not hold
    back the others; its `last_sent_at` moves only when its mail went out (or had nothing).
    """
    from quartier.alerts.mail import send_digest
    from quartier.alerts.selectors import digest_for

    interval = dt.timedelta(days=1 if frequency == Frequency.DAILY else 7)
    # A little slack, so that a cron job running a few minutes early still counts as due.
    due_before = now - interval + dt.timedelta(hours=1)
    due = (
        Subscription.objects.confirmed().filter(frequency=frequency).select_related("user", "area")
    )
    sent = 0
    for subscription in due.iterator():
        if subscription.last_sent_at and subscription.last_sent_at > due_before:
            continue
        digest = digest_for(subscription, subscription.since)
        with transaction.atomic():
            if not digest.empty:
                send_digest(subscription, digest)
                sent += 1
            subscription.last_sent_at = now
            subscription.save(update_fields=["last_sent_at"])
    return sent
