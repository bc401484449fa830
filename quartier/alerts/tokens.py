"""Signed links of alerts: confirming a subscription (valid for a week) and unsubscribing
(valid while the subscription exists).

The token carries only the subscription's id; the signature (quartier.core.tokens) is what
makes it impossible to unsubscribe someone else. The purposes are the salts used before
core.tokens existed, so links already mailed keep working.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from quartier.alerts.models import UNCONFIRMED_DAYS, Subscription
from quartier.core import tokens

CONFIRM = "quartier.alerts.confirm"
UNSUBSCRIBE = "quartier.alerts.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=UNCONFIRMED_DAYS)


def confirm_token(subscription: Subscription) -> str:
    return tokens.make(CONFIRM, subscription.pk)


def unsubscribe_token(subscription: Subscription) -> str:
    return tokens.make(UNSUBSCRIBE, subscription.pk)


def read_confirm(token: str) -> int:
    """The subscription id of a confirmation link; BadToken ("expired" after a week)."""
    return tokens.read_int(CONFIRM, token, max_age=CONFIRM_MAX_AGE)


def read_unsubscribe(token: str) -> int:
    """The subscription id of an unsubscribe link; BadToken."""
    return tokens.read_int(UNSUBSCRIBE, token)


def confirm_url(subscription: Subscription) -> str:
    path = reverse("alerts:confirm", kwargs={"token": confirm_token(subscription)})
    return settings.SITE_URL + path


def unsubscribe_url(subscription: Subscription) -> str:
    path = reverse("alerts:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
    return settings.SITE_URL + path
