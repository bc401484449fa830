"""Adds a resident's area alert and an e-mail subscription to the shared test world."""

from __future__ import annotations

from django.utils import timezone

from quartier.alerts.models import Kind, Subscription


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
    world.extra.update(alert=own, mail_alert=by_mail)
