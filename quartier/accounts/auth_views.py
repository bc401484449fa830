"""Logging in (password, then the second factor) and resetting a forgotten password."""

from __future__ import annotations

from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from quartier.accounts import twofactor
from quartier.accounts.forms import CodeForm, PasswordResetRequestForm
from quartier.accounts.security import login_unlock
from quartier.accounts.services import password_reset_request
from quartier.core import throttle


def safe_next(request: HttpRequest) -> str:
    """The `next` parameter if it stays on this site, else the default after login."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def redirect_with_next(name: str, next_url: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


class LoginView(auth_views.LoginView):
    """Django's login (django-axes counts its failures), then the second factor."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_success_url()
        if twofactor.has_second_factor(user):
            self.request.session[twofactor.PENDING_SESSION_KEY] = True
            return redirect_with_next("accounts:login_verify", next_url)
        if twofactor.requires_second_factor(user):
            return redirect_with_next("accounts:two_factor_setup", next_url)
        return HttpResponseRedirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the app or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = safe_next(request)
    user = request.user
    if twofactor.is_verified(request):
        return redirect(next_url)
    if not twofactor.has_second_factor(user):
        request.session.pop(twofactor.PENDING_SESSION_KEY, None)
        if twofactor.requires_second_factor(user):
            return redirect_with_next("accounts:two_factor_setup", next_url)
        return redirect(next_url)
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        # A new session key now that the login is complete (no fixation of a half login).
        request.session.cycle_key()
        django_otp.login(request, form.verified)
        request.session.pop(twofactor.PENDING_SESSION_KEY, None)
        if isinstance(form.verified, StaticDevice):
            left = form.verified.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code; %(count)s is left. Make new ones in your "
                    "account's security settings.",
                    "You used a recovery code; %(count)s are left. Make new ones in your "
                    "account's security settings.",
                    left,
                )
                % {"count": left},
            )
        return redirect(next_url)
    status = 422 if form.is_bound else 200
    context = {"form": form, "next": next_url, "has_key": twofactor.has_security_key(user)}
    return render(request, "accounts/login_verify.html", context, status=status)


@throttle.throttle_post("accounts.password_reset")
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Asks for the address; answers alike whether or not it has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        refusal = throttle.hit("accounts.password_reset_mail", request, address=email)
        if refusal is not None:
            return throttle.refused_response(request, refusal)
        password_reset_request(email=email, language=get_language())
        return redirect("accounts:password_reset_sent")
    status = 422 if form.is_bound else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view (the token moves from the URL into the session before the form shows);
    a new password also lifts a login lockout of the username."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        login_unlock(by=None, username=form.user.get_username(), via="a password reset")
        return response


password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
