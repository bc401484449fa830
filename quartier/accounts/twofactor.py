"""Second factor: TOTP (an authenticator app) with recovery codes, on django-otp.

Who: every account that can see internal data must have it (platform admins, users of the
Django admin, anyone with an active planner, coordinator or editor role); residents may turn
it on. How a login goes:

1. The password (accounts.views.login_view, throttled by django-axes) logs the session in.
2. SecondFactorMiddleware lets a session that still owes its second factor reach only the
   code page, the enrolment page (for staff without a device yet), logout and the language
   switch; anything else redirects there, and the API sees the session as anonymous.
3. A right code calls `django_otp.login`, which keeps the device in the session; django-otp's
   OTPMiddleware checks on each request that the device still exists and is the user's, so an
   admin's reset (services.two_factor_reset) ends the verification of every session at once.

TOTP devices and recovery codes (a django-otp StaticDevice) are throttled by django-otp
after each wrong code (the wait doubles). Keys stay in the database (TOTPDevice.key), like
the password hashes: a database dump needs the same protection as before.
"""

from __future__ import annotations

import django_otp
import segno
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts.models import WebAuthnCredential
from quartier.accounts.rules import scope_of

# The session owes its second factor (set by the login view for users with a device).
PENDING_SESSION_KEY = "quartier_2fa_pending"
# Recovery codes made in this request, shown once on the next page and then dropped.
CODES_SESSION_KEY = "quartier_recovery_codes"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator-App"
RECOVERY_NAME = "Wiederherstellungscodes"


def requires_second_factor(user) -> bool:
    """Staff roles and admins: everyone who can see internal data."""
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_superuser or user.is_staff or scope_of(user).is_staff_role)


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_security_key(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user) -> bool:
    """The app or a security key (passkeys.py); recovery codes come with either."""
    return has_totp(user) or has_security_key(user)


def is_verified(request: HttpRequest) -> bool:
    # OTPMiddleware installs is_verified(); without it (a request built by hand) nothing is.
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def owes_second_factor(request: HttpRequest) -> bool:
    """The session is logged in but its second factor is still to come."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    return bool(request.session.get(PENDING_SESSION_KEY)) or requires_second_factor(user)


def otpauth_uri(device: TOTPDevice) -> str:
    """The key in the format authenticator apps read from a QR code (Key Uri Format)."""
    return device.config_url


def secret(device: TOTPDevice) -> str:
    """The key as base32 in groups of four, for typing it into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The QR code as inline SVG, drawn on the server: no image request leaves the page."""
    code = segno.make(otpauth_uri(device), error="m")
    svg = code.svg_inline(
        scale=4,
        title=_("QR code with the key for your authenticator app"),
        svgclass="qr-code",
        lineclass=None,
        omitsize=False,
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno escapes what it draws


def verify_code(user, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code`: the app's code first, then a recovery code (used up)."""
    devices: list[TOTPDevice | StaticDevice] = list(
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")
    )
    devices += StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        # django_otp.verify_token locks the row, so throttling holds under parallel requests.
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def wait_seconds(user, device=None) -> int:
    """Seconds until django-otp's throttle lets the next code be tried (0: now)."""
    devices = [device] if device is not None else TOTPDevice.objects.filter(user=user)
    now = timezone.now()
    waits = [0]
    for candidate in devices:
        allowed, data = candidate.verify_is_allowed()
        locked_until = (data or {}).get("locked_until")
        if not allowed and locked_until:
            waits.append(max(1, int((locked_until - now).total_seconds()) + 1))
    return max(waits)
