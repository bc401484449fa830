"""Signed links of the district fund: the applicant's tracking page (no expiry: it lives as
long as the application)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from quartier.core import tokens

FUND_TRACK = "quartier.projects.fund_track"


def fund_track_token(application) -> str:
    return tokens.make(FUND_TRACK, application.pk)


def fund_application_id(token: str) -> int | None:
    try:
        return tokens.read_int(FUND_TRACK, token)
    except tokens.BadToken:
        return None


def fund_track_url(application, *, absolute: bool = True) -> str:
    path = reverse("projects:fund_track", kwargs={"token": fund_track_token(application)})
    return f"{settings.SITE_URL}{path}" if absolute else path
