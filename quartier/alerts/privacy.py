"""Personal data of alerts for the DSGVO registry (core/privacy.py); docs/privacy-alerts.md."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartier.alerts.models import Subscription
from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows

CATEGORIES = [
    Category(
        key="alerts.subscription",
        name=_("Alerts and saved searches"),
        purpose=_("Mailing new offers and events that match a search, an area or topics"),
        data=_(
            "e-mail address or account, search text and filters or area and topics, frequency, "
            "times"
        ),
        subjects=_("residents and other visitors"),
        recipients=_("none"),
        retention=_(
            "until unsubscribed; unconfirmed after 7 days, paused saved searches after 30 days"
        ),
        legal_basis=_("Art. 6(1)(a) DSGVO (consent, double opt-in)"),
    ),
]


def _mine(subject: Subject):
    match = Q(email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(user=subject.user)
    return (
        Subscription.objects.filter(match)
        .select_related("area")
        .prefetch_related("consents", "topics")
    )


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "alerts.subscription": rows(
            _mine(subject),
            [
                "kind",
                "label",
                "query",
                "params",
                "area",
                "source",
                ("topics", lambda s: ", ".join(topic.name for topic in s.topics.all())),
                "frequency",
                "language",
                ("email", lambda s: s.recipient),
                ("consent", consent.describe),
                "created_at",
                "confirmed_at",
                "last_sent_at",
            ],
        )
    }


def erase(subject: Subject) -> dict[str, int]:
    _total, by_model = _mine(subject).delete()  # the total counts topic links and consents
    return {"alerts.subscription": by_model.get(Subscription._meta.label, 0)}
