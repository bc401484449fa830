"""Signed links of the newsletter (core.tokens): confirm a sign-up (valid for a week),
unsubscribe one list in one click, and manage every list of an address.

The unsubscribe and manage tokens carry the subscriber's id; they live as long as the row.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from quartier.core import tokens
from quartier.publications.models import UNCONFIRMED_DAYS, Subscriber

CONFIRM = "quartier.publications.confirm"
UNSUBSCRIBE = "quartier.publications.unsubscribe"
MANAGE = "quartier.publications.manage"
CONFIRM_MAX_AGE = dt.timedelta(days=UNCONFIRMED_DAYS)


def confirm_token(subscriber: Subscriber) -> str:
    return tokens.make(CONFIRM, subscriber.pk)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return tokens.make(UNSUBSCRIBE, subscriber.pk)


def manage_token(subscriber: Subscriber) -> str:
    return tokens.make(MANAGE, subscriber.pk)


def read_confirm(token: str) -> int:
    return tokens.read_int(CONFIRM, token, max_age=CONFIRM_MAX_AGE)


def read_unsubscribe(token: str) -> int:
    return tokens.read_int(UNSUBSCRIBE, token)


def read_manage(token: str) -> int:
    return tokens.read_int(MANAGE, token)


def _absolute(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"token": token})


def confirm_url(subscriber: Subscriber) -> str:
    return _absolute("publications:confirm", confirm_token(subscriber))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _absolute("publications:unsubscribe", unsubscribe_token(subscriber))


def manage_url(subscriber: Subscriber) -> str:
    return _absolute("publications:manage", manage_token(subscriber))
