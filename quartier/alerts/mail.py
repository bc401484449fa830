"""The mails of alerts: confirmation (a task the services enqueue after commit), already
active, digest and paused search (sent from the digest task).

Reads models, tokens and selectors, never the services (which enqueue `send_confirmation`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.alerts import filters, tokens
from quartier.alerts.models import INVALID_DAYS, Subscription
from quartier.alerts.selectors import Digest, search_url

MAX_LISTED = 50


def _send(subscription: Subscription, subject: str, body: str, *, unsubscribe: bool) -> None:
    headers = {}
    if unsubscribe:
        link = tokens.unsubscribe_url(subscription)
        # RFC 2369 and RFC 8058: mail programs offer a one-click unsubscribe button.
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.recipient], headers=headers
    ).send()


@task()
def send_confirmation(subscription_id: int) -> None:
    """The confirmation link; for an alert confirmed meanwhile, the note that it is active."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    if subscription.confirmed_at is None:
        _send_confirm(subscription)
    else:
        send_already_active(subscription)


def _send_confirm(subscription: Subscription) -> None:
    with translation.override(subscription.language):
        body = render_to_string(
            "alerts/email/confirm.txt",
            {
                "subscription": subscription,
                "confirm_url": tokens.confirm_url(subscription),
            },
        )
        _send(subscription, _("Please confirm your Quartier alert"), body, unsubscribe=False)


def send_already_active(subscription: Subscription) -> None:
    with translation.override(subscription.language):
        body = render_to_string(
            "alerts/email/already_active.txt",
            {"subscription": subscription, "unsubscribe_url": tokens.unsubscribe_url(subscription)},
        )
        subject = _("Your alert is already active: %(label)s") % {"label": subscription.label}
        _send(subscription, subject[:200], body, unsubscribe=True)


def send_digest(subscription: Subscription, digest: Digest) -> None:
    with translation.override(subscription.language):
        body = render_to_string(
            "alerts/email/digest.txt",
            {
                "subscription": subscription,
                "new": digest.new[:MAX_LISTED],
                "changed": digest.changed[:MAX_LISTED],
                "items": digest.items[:MAX_LISTED],
                "more": max(0, len(digest.new) + len(digest.changed) - 2 * MAX_LISTED),
                "site_url": settings.SITE_URL,
                "search_url": search_url(subscription),
                "unsubscribe_url": tokens.unsubscribe_url(subscription),
            },
        )
        if subscription.source:
            subject = subscription.label
        else:
            subject = _("New and changed offers: %(label)s") % {"label": subscription.label}
        _send(subscription, subject[:200], body, unsubscribe=True)


def send_filters_invalid(subscription: Subscription) -> None:
    """Tell the subscriber that the saved search is paused, why, and until when."""
    with translation.override(subscription.language):
        check = filters.check_subscription(subscription)  # the problems in the mail's language
        paused = subscription.filters_invalid_since or timezone.now()
        body = render_to_string(
            "alerts/email/filters_invalid.txt",
            {
                "subscription": subscription,
                "problems": check.problems,
                "delete_on": paused + dt.timedelta(days=INVALID_DAYS),
                "search_url": search_url(subscription, params=check.usable_params),
                "unsubscribe_url": tokens.unsubscribe_url(subscription),
            },
        )
        subject = _("Your alert is paused: %(label)s") % {"label": subscription.label}
        _send(subscription, subject[:200], body, unsubscribe=True)
