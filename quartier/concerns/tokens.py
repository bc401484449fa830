"""Signed links of concerns: the reporter's tracking page (no expiry: it lives as long as the
concern). The same token is the Open311 `token` of a posted request."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from quartier.core import tokens

TRACK = "quartier.concerns.track"


def track_token(concern) -> str:
    return tokens.make(TRACK, concern.pk)


def concern_id(token: str) -> int | None:
    try:
        return tokens.read_int(TRACK, token)
    except tokens.BadToken:
        return None


def track_url(concern, *, absolute: bool = True) -> str:
    path = reverse("concerns:track", kwargs={"token": track_token(concern)})
    return f"{settings.SITE_URL}{path}" if absolute else path
