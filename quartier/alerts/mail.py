"""The mails of alerts (called from tasks only): confirmation and digest."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from quartier.alerts import tokens
from quartier.alerts.models import Subscription
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


def send_confirmation(subscription: Subscription) -> None:
    with translation.override(subscription.language):
        body = render_to_string(
            "alerts/email/confirm.txt",
            {
                "subscription": subscription,
                "confirm_url": tokens.confirm_url(subscription),
            },
        )
        _send(subscription, _("Please confirm your Quartier alert"), body, unsubscribe=False)


def send_digest(subscription: Subscription, digest: Digest) -> None:
    with translation.override(subscription.language):
        body = render_to_string(
            "alerts/email/digest.txt",
            {
                "subscription": subscription,
                "new": digest.new[:MAX_LISTED],
                "changed": digest.changed[:MAX_LISTED],
                "more": max(0, len(digest.new) + len(digest.changed) - 2 * MAX_LISTED),
                "site_url": settings.SITE_URL,
                "search_url": search_url(subscription),
                "unsubscribe_url": tokens.unsubscribe_url(subscription),
            },
        )
        subject = _("New and changed offers: %(label)s") % {"label": subscription.label}
        _send(subscription, subject[:200], body, unsubscribe=True)
