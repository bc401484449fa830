"""A user's own second factor: set it up, see and renew the recovery codes, turn it off."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts import twofactor
from quartier.accounts.auth_views import safe_next
from quartier.accounts.forms import CodeForm, DisableTwoFactorForm, PasswordCheckForm
from quartier.accounts.models import WebAuthnCredential
from quartier.accounts.security import recovery_codes_renew, two_factor_disable, two_factor_enable


@never_cache
@login_required
@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    """The overview: on or off, recovery codes left, and the form to turn it off."""
    user = request.user
    device = twofactor.recovery_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": twofactor.has_totp(user),
            "any_factor": twofactor.has_second_factor(user),
            "keys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
            "required": twofactor.requires_second_factor(user),
            "codes_left": device.token_set.count() if device else 0,
            "disable_form": DisableTwoFactorForm(user=user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: the key as a QR code and as text, then a code from the app to confirm.

    Reachable before the second factor is verified (staff without a device must set one up to
    finish their first login), but only while the account has no confirmed device: a
    password alone cannot replace an existing one.
    """
    user = request.user
    next_url = safe_next(request)
    if twofactor.has_second_factor(user) and not twofactor.is_verified(request):
        return redirect(f"{reverse('accounts:login_verify')}?{urlencode({'next': next_url})}")
    if twofactor.has_totp(user):
        return redirect("accounts:two_factor")
    device = twofactor.totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=twofactor.TOTP_NAME, confirmed=False)
    form = CodeForm(request.POST or None, user=user, device=device)
    if request.method == "POST" and form.is_valid():
        codes = two_factor_enable(user=user, device=device)
        request.session.cycle_key()
        django_otp.login(request, device)
        request.session.pop(twofactor.PENDING_SESSION_KEY, None)
        request.session[twofactor.CODES_SESSION_KEY] = codes
        request.session["quartier_after_codes"] = next_url
        messages.success(request, _("Two-factor login is on."))
        return redirect("accounts:recovery_codes")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret(device),
            "required": twofactor.requires_second_factor(user),
            "next": next_url,
        },
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once, right after they are made; then only their number."""
    user = request.user
    if not twofactor.has_second_factor(user):
        return redirect("accounts:two_factor_setup")
    form = PasswordCheckForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        request.session[twofactor.CODES_SESSION_KEY] = recovery_codes_renew(user=user)
        messages.success(request, _("New recovery codes are made; the old ones no longer work."))
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(twofactor.CODES_SESSION_KEY, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "form": form,
            "continue_url": request.session.pop("quartier_after_codes", None),
        },
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    """Turn it off: the password and a current code (or a recovery code) again."""
    user = request.user
    form = DisableTwoFactorForm(request.POST, user=user)
    if not twofactor.has_totp(user):
        return redirect("accounts:two_factor")
    if form.is_valid():
        two_factor_disable(user=user)
        if twofactor.requires_second_factor(user) and not twofactor.has_security_key(user):
            messages.warning(
                request, _("Your role needs a second factor: please set up your app again.")
            )
            return redirect("accounts:two_factor_setup")
        messages.success(request, _("Two-factor login is off."))
        return redirect("accounts:two_factor")
    device = twofactor.recovery_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": True,
            "any_factor": True,
            "keys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
            "required": twofactor.requires_second_factor(user),
            "codes_left": device.token_set.count() if device else 0,
            "disable_form": form,
        },
        status=422,
    )
