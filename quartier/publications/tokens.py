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


class RecipientLinks:
    """The unsubscribe and manage URLs of many subscribers, for sending an edition: the URL
    around the token is reversed once, then each link is the signed token between its two
    halves (the same URL as unsubscribe_url/manage_url; tokens need no quoting in a path)."""

    _SLOT = "0token0"

    def __init__(self) -> None:
        self._unsubscribe = _absolute("publications:unsubscribe", self._SLOT).split(self._SLOT)
        self._manage = _absolute("publications:manage", self._SLOT).split(self._SLOT)

    def unsubscribe(self, subscriber_id: int) -> str:
        before, after = self._unsubscribe
        return before + tokens.make(UNSUBSCRIBE, subscriber_id) + after

    def manage(self, subscriber_id: int) -> str:
        before, after = self._manage
        return before + tokens.make(MANAGE, subscriber_id) + after
