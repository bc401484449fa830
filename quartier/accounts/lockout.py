"""Login throttling with django-axes (settings: AXES_*), per username and per client address.

Every failed login through `django.contrib.auth.authenticate` counts: the site's login page and
`/admin/login/` alike. After AXES_FAILURE_LIMIT failures for one username (whether or not the
account exists, so the lockout says nothing about existence), or from one client address, the
AxesStandaloneBackend refuses further logins of that username or from that address, even with
the right password, until AXES_COOLOFF_TIME has passed since the last failure. Client addresses
come from `quartier.core.throttle.client_address` (X-Forwarded-For only from
QUARTIER_TRUSTED_PROXIES). Counts live in the database (AccessAttempt), so all workers and
servers share them.

Unlocking: the back office's login security page (services.login_unlock), the Django admin
(delete the AccessAttempt rows), or `quartier unlock_login --username NAME | --ip ADDRESS`.
A password reset by mail also lifts the lockout of that username.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The 429 page: what happened, how long to wait, whom to ask."""
    response = render(
        request,
        "accounts/locked.html",
        {
            "message": _(
                "Too many failed login attempts. Logins for this account or from your "
                "connection are blocked for %(minutes)s minutes. Please try again later, "
                "reset your password, or ask the platform administration to unlock it."
            )
            % {"minutes": minutes()}
        },
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _recent() -> QuerySet:
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def locked_usernames() -> list[dict[str, Any]]:
    """Usernames at or over the limit within the lockout window, with their failures."""
    rows = (
        _recent()
        .exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return list(rows[:200])


def locked_addresses() -> list[dict[str, Any]]:
    rows = (
        _recent()
        .exclude(ip_address=None)
        .values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            usernames=Count("username", distinct=True),
            last=Max("attempt_time"),
        )
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return list(rows[:200])


def until(last: datetime.datetime) -> datetime.datetime:
    return last + settings.AXES_COOLOFF_TIME
