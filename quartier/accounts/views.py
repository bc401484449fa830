"""Residents' own account: register (confirmed by mail), profile, delete. Password change uses
Django's view; logins and password resets are in auth_views.py, the second factor in
twofactor_views.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quartier.accounts import tokens
from quartier.accounts.forms import DeleteAccountForm, ProfileForm, SignupForm
from quartier.accounts.models import PrivacyRequest, User
from quartier.accounts.services import (
    AccountNotDeletable,
    privacy_erase,
    user_activate,
    user_register,
    user_update_profile,
)
from quartier.core import privacy, throttle
from quartier.core.registry import registry, render_sections
from quartier.core.tokens import BadToken


@require_http_methods(["GET", "POST"])
@throttle.throttle_post("accounts.signup")
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.QUARTIER_SELF_REGISTRATION:
        raise Http404
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # One answer whether or not the address has an account (services.user_register).
        user_register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=get_language(),
        )
        return redirect("accounts:signup_sent")
    status = 422 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def signup_sent(request: HttpRequest) -> HttpResponse:
    if not settings.QUARTIER_SELF_REGISTRATION:
        raise Http404
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the sign-up mail: a button (mail scanners follow links, they do not
    press buttons), then the account is active and its owner logs in."""
    try:
        user = User.objects.filter(pk=tokens.read_activation(token)).first()
    except BadToken as exc:
        reason = exc.reason
    else:
        reason = "" if user is not None else "invalid"
    if reason:
        return render(request, "accounts/signup_confirm.html", {"reason": reason}, status=400)
    if request.method == "POST":
        if user_activate(user=user):
            messages.success(request, _("Your account is confirmed. Please log in."))
            return redirect("accounts:login")
        return render(request, "accounts/signup_confirm.html", {"reason": "invalid"}, status=400)
    return render(request, "accounts/signup_confirm.html", {"reason": "", "confirm_user": user})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=request.user,
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    status = 422 if form.is_bound else 200
    # The resident's bookings, registrations and alerts, from the apps that hold them.
    sections = render_sections(registry.account_sections, request, request.user)
    return render(
        request, "accounts/profile.html", {"form": form, "sections": sections}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_erase(
                subject=privacy.Subject.for_user(request.user),
                channel=PrivacyRequest.Channel.ACCOUNT,
            )
        except AccountNotDeletable:
            messages.error(
                request,
                _(
                    "Your account is still referred to by other records. Please ask the "
                    "platform administration to delete it."
                ),
            )
            return redirect("accounts:profile")
        logout(request)
        messages.success(request, _("Your account and its data have been deleted."))
        return redirect("/")
    status = 422 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
