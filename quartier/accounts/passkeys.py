"""Security keys and passkeys (WebAuthn) as a second factor beside the app (twofactor.py).

The ceremonies run on py_webauthn (Duo's `webauthn` library), which checks what the
specification asks of a relying party; this module adds what it leaves to us:

- The challenge lives in the session only: one per ceremony, for CHALLENGE_SECONDS, and
  taken out of the session by the first answer, right or wrong (`challenge_take`), so that a
  response can never be used twice.
- RP ID and origins come from settings: QUARTIER_WEBAUTHN_RP_ID (default: the host of
  SITE_URL) and QUARTIER_WEBAUTHN_ORIGINS (default: SITE_URL's scheme and host). A key is
  bound to its RP ID: changing the site's domain makes the keys registered so far unusable.
- The signature counter: a response that does not raise it (when the key counts at all) may
  come from a cloned key; it is refused and logged to "quartier.security".
- User verification (PIN, fingerprint) is preferred, not required: a plain security key is a
  second factor after the password already.
- Attestation "none": the platform does not ask for or check the key's make.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.parse_authentication_credential_json import (
    parse_authentication_credential_json,
)
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from quartier.accounts.models import User, WebAuthnCredential

logger = logging.getLogger("quartier.security")

SESSION_KEY = "quartier_webauthn"
# How long the browser may take (the options' timeout) and the challenge stays valid.
CHALLENGE_SECONDS = 300
REGISTER = "register"
LOGIN = "login"


class CeremonyError(Exception):
    """The response is refused; the message is for the log, not for the user."""


class CloneSuspected(CeremonyError):
    pass


def rp_id() -> str:
    return getattr(settings, "QUARTIER_WEBAUTHN_RP_ID", "") or (
        urlsplit(settings.SITE_URL).hostname or "localhost"
    )


def origins() -> list[str]:
    configured = getattr(settings, "QUARTIER_WEBAUTHN_ORIGINS", None)
    if configured:
        return list(configured)
    parts = urlsplit(settings.SITE_URL)
    return [f"{parts.scheme}://{parts.netloc}"]


def rp_name() -> str:
    return getattr(settings, "QUARTIER_WEBAUTHN_RP_NAME", "Quartier")


def _user_handle(user: User) -> bytes:
    # Not personal data beyond the account's number, which is no secret to its owner.
    return f"quartier-user-{user.pk}".encode()


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for credential in WebAuthnCredential.objects.filter(user=user, confirmed=True):
        transports = []
        for name in credential.transports or []:
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue  # a transport this version of the library does not know
        descriptors.append(
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(credential.credential_id), transports=transports or None
            )
        )
    return descriptors


def _challenge_store(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[SESSION_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "expires": int(time.time()) + CHALLENGE_SECONDS,
    }


def challenge_take(request: HttpRequest, purpose: str) -> bytes:
    """The pending challenge of `purpose`, removed from the session (single use)."""
    stored = request.session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or stored.get("purpose") != purpose:
        raise CeremonyError("no challenge pending")
    if int(stored.get("expires", 0)) < time.time():
        raise CeremonyError("challenge expired")
    return base64url_to_bytes(stored["challenge"])


def challenge_take_quietly(request: HttpRequest) -> None:
    """A refused answer uses the challenge up too."""
    request.session.pop(SESSION_KEY, None)


def registration_options(request: HttpRequest, user: User) -> str:
    """The options for navigator.credentials.create() as JSON; the challenge is kept."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=rp_name(),
        user_id=_user_handle(user),
        user_name=user.get_username(),
        user_display_name=str(user),
        timeout=CHALLENGE_SECONDS * 1000,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    _challenge_store(request, REGISTER, options.challenge)
    return options_to_json(options)


def authentication_options(request: HttpRequest, user: User) -> str:
    """The options for navigator.credentials.get(): only this user's keys are allowed."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _challenge_store(request, LOGIN, options.challenge)
    return options_to_json(options)


@dataclass(frozen=True)
class NewCredential:
    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]
    aaguid: str
    backed_up: bool


def registration_verify(request: HttpRequest, response: dict[str, Any]) -> NewCredential:
    """Check the browser's answer to the registration options (CeremonyError if not)."""
    challenge = challenge_take(request, REGISTER)
    try:
        verified = verify_registration_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origins(),
            require_user_verification=False,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, TypeError) as exc:
        raise CeremonyError(str(exc)) from exc
    transports = (response.get("response") or {}).get("transports") or []
    return NewCredential(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t) for t in transports if isinstance(t, str)][:8],
        aaguid=verified.aaguid,
        backed_up=verified.credential_backed_up,
    )


def credential_of(user: User, response: dict[str, Any]) -> WebAuthnCredential:
    """The user's key that the response names (CeremonyError: unknown, or someone else's)."""
    try:
        parsed = parse_authentication_credential_json(response)
    except (InvalidJSONStructure, InvalidAuthenticationResponse, ValueError, TypeError) as exc:
        raise CeremonyError(str(exc)) from exc
    credential = WebAuthnCredential.objects.filter(
        user=user, confirmed=True, credential_id=bytes_to_base64url(parsed.raw_id)
    ).first()
    if credential is None:
        raise CeremonyError("credential is not one of the user's keys")
    return credential


def authentication_verify(
    request: HttpRequest, credential: WebAuthnCredential, response: dict[str, Any]
) -> int:
    """Check the signed answer of `credential`'s key; its new signature counter."""
    challenge = challenge_take(request, LOGIN)
    try:
        verified = verify_authentication_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origins(),
            credential_public_key=bytes(credential.public_key),
            # The counter is checked below, after the signature: only a genuine response may
            # raise the alarm of a cloned key.
            credential_current_sign_count=0,
            require_user_verification=False,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError, TypeError) as exc:
        raise CeremonyError(str(exc)) from exc
    new, old = verified.new_sign_count, credential.sign_count
    if (new or old) and new <= old:
        logger.warning(
            "Security key %s of %s: signature counter %d not above %d; a cloned key? "
            "Login refused.",
            credential.pk,
            credential.user.get_username(),
            new,
            old,
        )
        raise CloneSuspected(f"counter {new} <= {old}")
    return new
