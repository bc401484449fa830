"""Adds a resident's area alert and an e-mail subscription to the shared test world."""

from __future__ import annotations

from django.utils import timezone

from quartier.alerts.models import Kind, Subscription
from tests import sentinels


def extend(world) -> None:
    own = Subscription.objects.create(
        user=world.users["resident"],
        kind=Kind.AREA,
        area=world.district,
        label="Neue Angebote in Nordviertel",
        confirmed_at=timezone.now(),
    )
    by_mail = Subscription.objects.create(
        email="nachbarin@example.org",
        kind=Kind.SEARCH,
        query="Beratung",
        label="Suche per E-Mail nach Beratung",
    )
    # Another subscriber: address, label and query are theirs alone (tests/sentinels.py).
    Subscription.objects.create(
        email=sentinels.secret_email("alerts subscriber"),
        kind=Kind.SEARCH,
        query=sentinels.secret("alerts subscriber query"),
        label=sentinels.secret("alerts subscriber label"),
        confirmed_at=timezone.now(),
    )
    world.extra.update(alert=own, mail_alert=by_mail)
