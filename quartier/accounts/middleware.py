"""Session lifetimes and the second-factor gate (settings: after OTPMiddleware).

SessionPolicyMiddleware ends a login that is too old: residents' after SESSION_COOKIE_AGE,
staff roles' and admins' after QUARTIER_STAFF_SESSION_HOURS, or after
QUARTIER_STAFF_IDLE_MINUTES without a request. The session's expiry date alone cannot do
that: Django moves it on with every change of the session, and it knows nothing of roles.

SecondFactorMiddleware keeps a session that owes its second factor (twofactor.py) on the
code and enrolment pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from quartier.accounts import twofactor

AUTH_AT_KEY = "quartier_auth_at"
SEEN_AT_KEY = "quartier_seen_at"
# The last request is written to the session at most this often (a write per request would
# cost a database write each time); the idle limit is therefore this many seconds coarse.
SEEN_RESOLUTION = 60

# What a session that owes its second factor may still reach.
OPEN_URL_NAMES = {
    "accounts:login_verify",
    "accounts:two_factor_setup",
    # Security keys (passkey_views.py): the login's key step, and adding a first key instead
    # of the app (the views refuse managing keys before an existing factor is verified).
    "accounts:login_key_options",
    "accounts:login_key",
    "accounts:security_keys",
    "accounts:security_key_register_options",
    "accounts:security_key_register",
    "accounts:logout",
    "set_language",
}


def mark_login(request: HttpRequest) -> None:
    """Called on every login (apps.py connects it to user_logged_in)."""
    now = int(time.time())
    request.session[AUTH_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                if not _is_api(request):
                    messages.info(request, expired)
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        """Why the login has ended, or "" while it lasts (and then note this request)."""
        session = request.session
        now = int(time.time())
        if AUTH_AT_KEY not in session:
            # A session from before this middleware existed: its lifetime starts now.
            session[AUTH_AT_KEY] = now
        staff = twofactor.requires_second_factor(request.user)
        age = now - int(session[AUTH_AT_KEY])
        limit = (
            settings.QUARTIER_STAFF_SESSION_HOURS * 3600 if staff else settings.SESSION_COOKIE_AGE
        )
        if age > limit:
            return _("Your login has expired. Please log in again.")
        if not staff:
            return ""
        seen = int(session.get(SEEN_AT_KEY, now))
        if now - seen > settings.QUARTIER_STAFF_IDLE_MINUTES * 60:
            return _(
                "You have been logged out after %(minutes)s minutes without activity. "
                "Please log in again."
            ) % {"minutes": settings.QUARTIER_STAFF_IDLE_MINUTES}
        if now - seen >= SEEN_RESOLUTION or SEEN_AT_KEY not in session:
            session[SEEN_AT_KEY] = now
        return ""


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if twofactor.owes_second_factor(request) and not self._open(request):
            if _is_api(request):
                # Public reads still work; writes answer as to anyone without a login.
                request.user = AnonymousUser()
            else:
                return self._redirect(request)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN_URL_NAMES

    @staticmethod
    def _redirect(request: HttpRequest) -> HttpResponse:
        user = request.user
        if twofactor.requires_second_factor(user) and not twofactor.has_second_factor(user):
            target = "accounts:two_factor_setup"
        else:
            target = "accounts:login_verify"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
