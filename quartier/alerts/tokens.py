"""Signed links: confirming a subscription (valid for a week) and unsubscribing (no expiry).

The token carries only the subscription's id; the signature (django.core.signing, keyed by
SECRET_KEY) is what makes it impossible to unsubscribe someone else.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from quartier.alerts.models import UNCONFIRMED_DAYS, Subscription

CONFIRM_SALT = "quartier.alerts.confirm"
UNSUBSCRIBE_SALT = "quartier.alerts.unsubscribe"


class BadToken(Exception):
    pass


def make(subscription: Subscription, salt: str) -> str:
    return signing.dumps(subscription.pk, salt=salt)


def read(token: str, salt: str) -> int:
    max_age = UNCONFIRMED_DAYS * 86_400 if salt == CONFIRM_SALT else None
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken("expired") from exc
    except signing.BadSignature as exc:
        raise BadToken("invalid") from exc
    if not isinstance(value, int):
        raise BadToken("invalid")
    return value


def confirm_url(subscription: Subscription) -> str:
    token = make(subscription, CONFIRM_SALT)
    return settings.SITE_URL + reverse("alerts:confirm", kwargs={"token": token})


def unsubscribe_url(subscription: Subscription) -> str:
    token = make(subscription, UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("alerts:unsubscribe", kwargs={"token": token})
