"""Security keys and passkeys (passkeys.py): the owner's list, the two ceremonies' endpoints.

The ceremonies talk JSON with static/accounts/webauthn.js: the options (POST, since each
request puts a new challenge into the session), then the browser's answer. Errors answer 400
with a message for the page; the details go to the log only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quartier.accounts import passkeys, twofactor
from quartier.accounts.auth_views import safe_next
from quartier.accounts.forms import PasswordCheckForm, SecurityKeyNameForm
from quartier.accounts.models import User, WebAuthnCredential
from quartier.accounts.security import (
    LastSecondFactor,
    security_key_add,
    security_key_remove,
    security_key_rename,
    security_key_used,
)
from quartier.core import throttle

logger = logging.getLogger("quartier.security")

# The largest answer a browser sends for one key (attestation "none": a few hundred bytes).
MAX_BODY = 64 * 1024


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    """The JSON object the script sends; None for anything else (a form post, whose body
    the CSRF check has read already, or garbage)."""
    if request.content_type != "application/json":
        return None
    try:
        if len(request.body) > MAX_BODY:
            return None
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RawPostDataException):
        return None
    return data if isinstance(data, dict) else None


def _user(request: HttpRequest) -> User:
    """The logged-in user (the views check the login first)."""
    assert isinstance(request.user, User)
    return request.user


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"message": message}, status=status)


def _may_manage(request: HttpRequest) -> bool:
    """Managing keys needs a verified session once the account has a second factor; before
    that (a first login of staff without one) the password session may add the first."""
    return twofactor.is_verified(request) or not twofactor.has_second_factor(request.user)


def _keys_page(
    request: HttpRequest,
    *,
    rename_form: Any = None,
    remove_form: Any = None,
    form_key: Any = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security_keys.html",
        {
            "keys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
            "name_form": SecurityKeyNameForm(prefix="new"),
            "rename_form": rename_form,
            "remove_form": remove_form,
            "form_key": form_key,
            "required": twofactor.requires_second_factor(user),
            "has_totp": twofactor.has_totp(user),
            "next": safe_next(request),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def security_keys(request: HttpRequest) -> HttpResponse:
    if not _may_manage(request):
        return redirect(
            f"{reverse('accounts:login_verify')}?{urlencode({'next': request.get_full_path()})}"
        )
    return _keys_page(request)


@never_cache
@login_required
@require_POST
def security_key_register_options(request: HttpRequest) -> HttpResponse:
    if not _may_manage(request):
        return _refused(_("Please confirm your login first."), status=403)
    options = passkeys.registration_options(request, _user(request))
    return HttpResponse(options, content_type="application/json")


@never_cache
@login_required
@require_POST
def security_key_register(request: HttpRequest) -> HttpResponse:
    """The browser's new key: checked, stored, and the session verified with it."""
    user = _user(request)
    if not _may_manage(request):
        return _refused(_("Please confirm your login first."), status=403)
    data = _json_body(request)
    if data is None or not isinstance(data.get("credential"), dict):
        passkeys.challenge_take_quietly(request)
        return _refused(_("The answer of the browser could not be read. Please try again."))
    form = SecurityKeyNameForm({"name": data.get("name", "")})
    if not form.is_valid():
        passkeys.challenge_take_quietly(request)
        errors = [str(error) for error in form.errors.get("name", [])]
        return _refused(" ".join(errors) or _("Please name the key."))
    try:
        credential = passkeys.registration_verify(request, data["credential"])
    except passkeys.CeremonyError as exc:
        logger.info("Security key of %s not registered: %s", user.username, exc)
        return _refused(_("The key could not be registered. Please try again."))
    if WebAuthnCredential.objects.filter(credential_id=credential.credential_id).exists():
        return _refused(_("This key is registered already."))
    codes = security_key_add(user=user, credential=credential, name=form.cleaned_data["name"])
    key = WebAuthnCredential.objects.get(credential_id=credential.credential_id)
    if not twofactor.is_verified(request):
        # The first factor of a first login: like the app's set-up, it completes the login.
        request.session.cycle_key()
        django_otp.login(request, key)
        request.session.pop(twofactor.PENDING_SESSION_KEY, None)
    messages.success(request, _("The security key “%(name)s” is added.") % {"name": key.name})
    target = reverse("accounts:security_keys")
    if codes:
        request.session[twofactor.CODES_SESSION_KEY] = codes
        request.session["quartier_after_codes"] = safe_next(request)
        target = reverse("accounts:recovery_codes")
    return JsonResponse({"redirect": target})


@never_cache
@login_required
@require_POST
def security_key_rename_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_manage(request):
        return redirect("accounts:login_verify")
    key = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    form = SecurityKeyNameForm(request.POST, prefix=f"key{key.pk}")
    if form.is_valid():
        security_key_rename(key=key, name=form.cleaned_data["name"])
        messages.success(request, _("The key is renamed."))
        return redirect("accounts:security_keys")
    return _keys_page(request, rename_form=form, form_key=key, status=422)


@never_cache
@login_required
@require_POST
def security_key_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Removing a key asks for the password; the last second factor of staff stays."""
    if not _may_manage(request):
        return redirect("accounts:login_verify")
    key = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    form = PasswordCheckForm(request.POST, user=_user(request), prefix=f"remove{key.pk}")
    if not form.is_valid():
        return _keys_page(request, remove_form=form, form_key=key, status=422)
    try:
        security_key_remove(key=key)
    except LastSecondFactor:
        messages.error(
            request,
            _(
                "Your role needs a second factor, and this key is your last one. Add another "
                "key or set up the app first."
            ),
        )
        return _keys_page(request, status=409)
    messages.success(request, _("The key “%(name)s” is removed.") % {"name": key.name})
    return redirect("accounts:security_keys")


@never_cache
@require_POST
def login_key_options(request: HttpRequest) -> HttpResponse:
    """The second step of a login with a key: the options for the account's keys."""
    if not request.user.is_authenticated:
        return _refused(_("Please log in with your password first."), status=403)
    if not twofactor.has_security_key(request.user):
        return _refused(_("This account has no security key."), status=404)
    return HttpResponse(
        passkeys.authentication_options(request, request.user), content_type="application/json"
    )


@never_cache
@throttle.throttle_post("accounts.login_key")
@require_POST
def login_key(request: HttpRequest) -> HttpResponse:
    """The key's signed answer: on success the login is complete."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("accounts:login_verify"))
    user = request.user
    failed = _refused(_("The key could not be checked. Please try again or enter a code."))
    data = _json_body(request)
    if data is None or not isinstance(data.get("credential"), dict):
        passkeys.challenge_take_quietly(request)
        return failed
    try:
        key = passkeys.credential_of(user, data["credential"])
    except passkeys.CeremonyError as exc:
        passkeys.challenge_take_quietly(request)
        logger.info("Login of %s with a security key refused: %s", user.username, exc)
        return failed
    wait = twofactor.wait_seconds(user, key)
    if wait:
        passkeys.challenge_take_quietly(request)
        return _refused(
            _("Too many failed attempts. Please wait %(seconds)s seconds and try again.")
            % {"seconds": wait},
            status=429,
        )
    try:
        sign_count = passkeys.authentication_verify(request, key, data["credential"])
    except passkeys.CeremonyError as exc:
        key.throttle_increment()
        logger.info("Login of %s with security key %s refused: %s", user.username, key.pk, exc)
        return failed
    security_key_used(key=key, sign_count=sign_count)
    # A new session key now that the login is complete (no fixation of a half login).
    request.session.cycle_key()
    django_otp.login(request, key)
    request.session.pop(twofactor.PENDING_SESSION_KEY, None)
    return JsonResponse({"redirect": safe_next(request)})
