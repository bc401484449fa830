"""Residents' own account: register, profile, delete. Password change uses Django's view."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quartier.accounts.forms import DeleteAccountForm, ProfileForm, SignupForm
from quartier.accounts.services import (
    AccountNotDeletable,
    user_delete,
    user_register,
    user_update_profile,
)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.QUARTIER_SELF_REGISTRATION:
        raise Http404
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account has been created."))
        return redirect("accounts:profile")
    status = 422 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


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
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            user_delete(user=user)
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
