"""Personal data of publications for the DSGVO registry (core/privacy.py);
docs/privacy-publications.md.

The only personal data are newsletter subscribers: an address per list with the consent and
the delivery state. Erasure deletes every subscription of the address (with its consent
records); the mailings keep their figures (recipients, sent, failed), which name nobody, and
the delivery failures recorded for the address lose the reference to it and any copy of the
address in the mail server's error text. Authors and approvers of posts and issues are staff
accounts (accounts.account), not data of this app."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows
from quartier.publications.models import DeliveryFailure, Subscriber

CATEGORIES = [
    Category(
        key="publications.subscriber",
        name=_("Newsletter subscribers"),
        purpose=_("Mailing the newsletter and the district newspaper to those who asked"),
        data=_("e-mail address, list, language, consent (time and text), delivery failures"),
        subjects=_("residents and other readers"),
        recipients=_("none (the mail server that delivers)"),
        retention=_(
            "until unsubscribed; unconfirmed sign-ups after 7 days, unsubscribed and bounced "
            "addresses after QUARTIER_NEWSLETTER_RETENTION_DAYS (default 30) days"
        ),
        legal_basis=_("Art. 6(1)(a) DSGVO (consent, double opt-in)"),
        kept=_("the mailings' figures (recipients, sent, failed), without addresses"),
    ),
]


def _subscribers(subject: Subject):
    return (
        Subscriber.objects.filter(email__iexact=subject.email)
        .select_related("newsletter")
        .prefetch_related("consents")
    )


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "publications.subscriber": rows(
            _subscribers(subject),
            [
                "newsletter.name",
                "email",
                "language",
                "created_at",
                "confirmed_at",
                "consent_version",
                "consent_text",
                "unsubscribed_at",
                "bounced_at",
                "soft_bounces",
                ("consent", consent.describe),
            ],
        )
    }


def erase(subject: Subject) -> dict[str, int]:
    subscribers = list(_subscribers(subject).values_list("pk", flat=True))
    # The mail server's error texts may quote the address (also of rows already purged).
    failures = DeliveryFailure.objects.filter(
        Q(subscriber__in=subscribers) | Q(error__icontains=subject.email)
    )
    pattern = re.compile(re.escape(subject.email), re.IGNORECASE)
    for failure in failures:
        DeliveryFailure.objects.filter(pk=failure.pk).update(
            subscriber=None, error=pattern.sub("[…]", failure.error)
        )
    deleted = 0
    if subscribers:
        deleted = (
            Subscriber.objects.filter(pk__in=subscribers).delete()[1].get(Subscriber._meta.label, 0)
        )
    return {"publications.subscriber": deleted}
