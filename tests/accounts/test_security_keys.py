"""Security keys and passkeys (WebAuthn): both ceremonies against a software authenticator
(tests/accounts/authenticator.py), so that py_webauthn's verification really runs."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts import passkeys, twofactor
from quartier.accounts.models import WebAuthnCredential
from quartier.accounts.security import two_factor_reset
from quartier.core.privacy import Subject, erase_data, export_data
from tests.accounts.authenticator import SoftAuthenticator
from tests.factories.accounts import UserFactory
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

RP_ID = "quartier.example"
ORIGIN = "https://quartier.example"


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.QUARTIER_WEBAUTHN_RP_ID = RP_ID
    settings.QUARTIER_WEBAUTHN_ORIGINS = [ORIGIN]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def key():
    return SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)


def post_json(client, name: str, body=None, query: str = ""):
    return client.post(
        reverse(name) + query, json.dumps(body or {}), content_type="application/json"
    )


def register(client, key: SoftAuthenticator, name: str = "YubiKey blau", **bend):
    options = post_json(client, "accounts:security_key_register_options").json()
    return post_json(
        client,
        "accounts:security_key_register",
        {"name": name, "credential": key.register(options, **bend)},
    )


def login_options(client) -> dict:
    response = post_json(client, "accounts:login_key_options")
    assert response.status_code == 200, response.content
    return response.json()


def login_with(client, key: SoftAuthenticator, **bend):
    return post_json(
        client,
        "accounts:login_key",
        {"credential": key.assert_(login_options(client), **bend)},
        query="?next=/profil/",
    )


def enrolled(user, key: SoftAuthenticator, *, sign_count: int = 0) -> WebAuthnCredential:
    """A key stored as a registration leaves it (the registration itself: tests below)."""
    from webauthn.helpers import parse_attestation_object

    answer = key.register({"challenge": "AAAA"})
    from webauthn.helpers import base64url_to_bytes

    attested = parse_attestation_object(
        base64url_to_bytes(answer["response"]["attestationObject"])
    ).auth_data.attested_credential_data
    return WebAuthnCredential.objects.create(
        user=user,
        name="Schlüssel",
        credential_id=key.credential_id_b64,
        public_key=attested.credential_public_key,
        sign_count=sign_count,
    )


def password_login(client, username: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def test_rp_id_and_origin_default_to_the_site_url(settings):
    del settings.QUARTIER_WEBAUTHN_RP_ID
    del settings.QUARTIER_WEBAUTHN_ORIGINS
    settings.SITE_URL = "https://quartier.trier.de"
    assert passkeys.rp_id() == "quartier.trier.de"
    assert passkeys.origins() == ["https://quartier.trier.de"]


def test_a_resident_registers_a_key_and_logs_in_with_it(client, key):
    user = UserFactory(username="anna")
    client.force_login(user)
    page = client.get(reverse("accounts:security_keys"))
    assert page.status_code == 200
    assert "accounts/webauthn.js" in page.content.decode()
    options = post_json(client, "accounts:security_key_register_options").json()
    assert options["rp"]["id"] == RP_ID
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    response = post_json(
        client,
        "accounts:security_key_register",
        {"name": "  YubiKey   blau ", "credential": key.register(options)},
    )
    assert response.status_code == 200, response.content
    # The first factor of the account: recovery codes come with it, shown once.
    assert response.json()["redirect"] == reverse("accounts:recovery_codes")
    stored = WebAuthnCredential.objects.get(user=user)
    assert stored.name == "YubiKey blau"
    assert stored.credential_id == key.credential_id_b64
    assert StaticDevice.objects.get(user=user).token_set.count() == twofactor.RECOVERY_CODE_COUNT
    assert client.session[DEVICE_ID_SESSION_KEY] == stored.persistent_id

    client.post(reverse("accounts:logout"))
    response = password_login(client, "anna")
    assert response["Location"].startswith(reverse("accounts:login_verify"))
    page = client.get(response["Location"])
    body = page.content.decode()
    assert reverse("accounts:login_key_options") in body and "accounts/webauthn.js" in body
    # The code form stays as the alternative (recovery codes).
    assert 'name="code"' in body
    options = login_options(client)
    assert [c["id"] for c in options["allowCredentials"]] == [key.credential_id_b64]
    assert options["userVerification"] == "preferred"
    session_before = client.session.session_key
    response = post_json(
        client,
        "accounts:login_key",
        {"credential": key.assert_(options)},
        query="?next=/profil/",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"redirect": "/profil/"}
    assert client.session.session_key != session_before
    assert client.session[DEVICE_ID_SESSION_KEY] == stored.persistent_id
    stored.refresh_from_db()
    assert stored.sign_count == 1 and stored.last_used_at is not None
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_staff_may_enrol_a_key_instead_of_the_app(world, client, key):
    response = password_login(client, "editor")
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert client.get(reverse("accounts:security_keys")).status_code == 200
    response = register(client, key)
    assert response.status_code == 200, response.content
    assert client.get(reverse("backoffice:directory:organisation_list")).status_code == 200


def test_recovery_codes_still_work_for_an_account_with_only_keys(client, key):
    user = UserFactory(username="bea")
    client.force_login(user)
    register(client, key)
    codes = client.get(reverse("accounts:recovery_codes")).context["codes"]
    client.post(reverse("accounts:logout"))
    password_login(client, "bea")
    response = client.post(reverse("accounts:login_verify"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_challenge_is_refused(client, key):
    user = UserFactory()
    client.force_login(user)
    response = register(client, key, challenge="d3JvbmctY2hhbGxlbmdl")
    assert response.status_code == 400
    assert "message" in response.json()
    assert not WebAuthnCredential.objects.exists()
    enrolled(user, key)
    response = login_with(client, key, challenge="d3JvbmctY2hhbGxlbmdl")
    assert response.status_code == 400


def test_a_challenge_is_used_once(client, key):
    user = UserFactory()
    client.force_login(user)
    options = post_json(client, "accounts:security_key_register_options").json()
    answer = key.register(options)
    first = post_json(client, "accounts:security_key_register", {"name": "A", "credential": answer})
    assert first.status_code == 200
    replay = post_json(
        client, "accounts:security_key_register", {"name": "B", "credential": answer}
    )
    assert replay.status_code == 400
    assert WebAuthnCredential.objects.count() == 1
    # The login: a captured answer does not log in a second time.
    client.post(reverse("accounts:logout"))
    password_login(client, user.username)
    answer = key.assert_(login_options(client))
    assert post_json(client, "accounts:login_key", {"credential": answer}).status_code == 200
    client.post(reverse("accounts:logout"))
    password_login(client, user.username)
    assert post_json(client, "accounts:login_key", {"credential": answer}).status_code == 400
    assert not client.session.get(DEVICE_ID_SESSION_KEY)


def test_an_expired_challenge_is_refused(client, key, monkeypatch):
    client.force_login(UserFactory())
    options = post_json(client, "accounts:security_key_register_options").json()
    monkeypatch.setattr(passkeys, "CHALLENGE_SECONDS", -1)
    session = client.session
    session[passkeys.SESSION_KEY]["expires"] = 0
    session.save()
    response = post_json(
        client, "accounts:security_key_register", {"name": "A", "credential": key.register(options)}
    )
    assert response.status_code == 400
    assert not WebAuthnCredential.objects.exists()


def test_a_wrong_origin_is_refused(client, key):
    user = UserFactory()
    client.force_login(user)
    assert register(client, key, origin="https://evil.example").status_code == 400
    assert not WebAuthnCredential.objects.exists()
    stored = enrolled(user, key)
    assert login_with(client, key, origin="https://evil.example").status_code == 400
    stored.refresh_from_db()
    assert stored.sign_count == 0


def test_a_wrong_rp_id_hash_is_refused(client, key):
    user = UserFactory()
    client.force_login(user)
    assert register(client, key, rp_id="evil.example").status_code == 400
    assert not WebAuthnCredential.objects.exists()
    enrolled(user, key)
    assert login_with(client, key, rp_id="evil.example").status_code == 400


def test_a_counter_that_does_not_rise_is_refused_and_logged(client, key, caplog):
    user = UserFactory()
    stored = enrolled(user, key, sign_count=5)
    password_login(client, user.username)
    with caplog.at_level(logging.WARNING, logger="quartier.security"):
        response = login_with(client, key, counter=5)
    assert response.status_code == 400
    assert "cloned key" in caplog.text
    assert not client.session.get(DEVICE_ID_SESSION_KEY)
    stored.refresh_from_db()
    assert stored.sign_count == 5


def test_someone_elses_key_does_not_log_in(client, key):
    owner = UserFactory()
    enrolled(owner, key)
    other = UserFactory()
    enrolled(other, SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN))
    password_login(client, other.username)
    # A genuine, signed answer of the owner's key, in the other account's login.
    response = login_with(client, key)
    assert response.status_code == 400
    assert not client.session.get(DEVICE_ID_SESSION_KEY)


def test_a_key_registered_already_is_refused(client, key):
    enrolled(UserFactory(), key)
    client.force_login(UserFactory())
    assert register(client, key).status_code == 400


def test_a_key_needs_a_name(client, key):
    client.force_login(UserFactory())
    response = register(client, key, name="   ")
    assert response.status_code == 400
    assert not WebAuthnCredential.objects.exists()


def test_garbage_is_answered_400_never_500(client, key):
    user = UserFactory()
    client.force_login(user)
    post_json(client, "accounts:security_key_register_options")
    for body in ({"credential": {"id": "x"}}, {"credential": "x"}):
        assert post_json(client, "accounts:security_key_register", body).status_code == 400
    response = client.post(
        reverse("accounts:security_key_register"), b"\xff\x00", content_type="application/json"
    )
    assert response.status_code == 400
    enrolled(user, key)
    login_options(client)
    bad = key.assert_(login_options(client))
    bad["response"]["signature"] = "AAAA"
    assert post_json(client, "accounts:login_key", {"credential": bad}).status_code == 400


def test_the_login_step_is_throttled(client, key, settings):
    settings.QUARTIER_THROTTLE_RATES = {"accounts.login_key": [[3, 60]]}
    user = UserFactory()
    enrolled(user, key)
    password_login(client, user.username)
    for _ in range(3):
        post_json(client, "accounts:login_key", {"credential": {"id": "x"}})
    response = login_with(client, key)
    assert response.status_code == 429
    assert not client.session.get(DEVICE_ID_SESSION_KEY)


def test_a_failed_signature_makes_the_key_wait(client, key, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    user = UserFactory()
    stored = enrolled(user, key)
    password_login(client, user.username)
    assert login_with(client, key, origin="https://evil.example").status_code == 400
    stored.refresh_from_db()
    assert stored.throttling_failure_count == 1
    response = login_with(client, key)
    assert response.status_code == 429
    assert not client.session.get(DEVICE_ID_SESSION_KEY)


def test_keys_are_listed_renamed_and_removed(client, key):
    user = UserFactory()
    client.force_login(user)
    register(client, key)
    second = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    assert register(client, second, name="Telefon").status_code == 200
    first, phone = WebAuthnCredential.objects.filter(user=user).order_by("pk")
    page = client.get(reverse("accounts:security_keys")).content.decode()
    assert "YubiKey blau" in page and "Telefon" in page
    url = reverse("accounts:security_key_rename", args=[first.pk])
    assert client.post(url, {f"key{first.pk}-name": ""}).status_code == 422
    assert client.post(url, {f"key{first.pk}-name": "Schlüsselbund"}).status_code == 302
    first.refresh_from_db()
    assert first.name == "Schlüsselbund"
    url = reverse("accounts:security_key_remove", args=[phone.pk])
    assert client.post(url, {f"remove{phone.pk}-password": "falsch"}).status_code == 422
    assert client.post(url, {f"remove{phone.pk}-password": PASSWORD}).status_code == 302
    assert list(WebAuthnCredential.objects.filter(user=user)) == [first]


def test_a_resident_may_remove_the_last_key_and_its_codes_go_with_it(client, key):
    user = UserFactory()
    client.force_login(user)
    register(client, key)
    stored = WebAuthnCredential.objects.get(user=user)
    url = reverse("accounts:security_key_remove", args=[stored.pk])
    assert client.post(url, {f"remove{stored.pk}-password": PASSWORD}).status_code == 302
    assert not WebAuthnCredential.objects.exists()
    assert not StaticDevice.objects.filter(user=user).exists()


def test_staff_cannot_remove_their_last_second_factor(world, client, key):
    editor = world.users["editor"]
    stored = enrolled(editor, key)
    client.force_login(editor)
    # Verified with the key, the app gone: the key is the last factor.
    TOTPDevice.objects.filter(user=editor).delete()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = stored.persistent_id
    session.save()
    url = reverse("accounts:security_key_remove", args=[stored.pk])
    response = client.post(url, {f"remove{stored.pk}-password": PASSWORD})
    assert response.status_code == 409
    assert "letzter" in response.content.decode() or "last" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()
    # With the app beside it, the key may go.
    TOTPDevice.objects.create(user=editor, name=twofactor.TOTP_NAME, confirmed=True)
    assert client.post(url, {f"remove{stored.pk}-password": PASSWORD}).status_code == 302


def test_nobody_renames_or_removes_someone_elses_key(client, key):
    owner = UserFactory()
    stored = enrolled(owner, key)
    client.force_login(UserFactory())
    rename = reverse("accounts:security_key_rename", args=[stored.pk])
    remove = reverse("accounts:security_key_remove", args=[stored.pk])
    assert client.post(rename, {f"key{stored.pk}-name": "meins"}).status_code == 404
    assert client.post(remove, {f"remove{stored.pk}-password": PASSWORD}).status_code == 404
    stored.refresh_from_db()
    assert stored.name == "Schlüssel"


def test_keys_are_not_managed_before_the_second_factor_is_confirmed(client, key):
    user = UserFactory()
    stored = enrolled(user, key)
    password_login(client, user.username)
    assert client.get(reverse("accounts:security_keys"))["Location"].startswith(
        reverse("accounts:login_verify")
    )
    assert post_json(client, "accounts:security_key_register_options").status_code == 403
    remove = reverse("accounts:security_key_remove", args=[stored.pk])
    assert client.post(remove, {f"remove{stored.pk}-password": PASSWORD}).status_code == 302
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()


def test_removing_the_key_ends_sessions_verified_with_it(client, key):
    user = UserFactory()
    password_login(client, user.username)
    stored = enrolled(user, key)
    password_login(client, user.username)
    assert login_with(client, key).status_code == 200
    stored.delete()
    # OTPMiddleware no longer finds the device: the session is not verified any more.
    assert client.get(reverse("accounts:profile")).status_code == 200  # a resident: no gate
    assert not client.get(reverse("accounts:profile")).wsgi_request.user.is_verified()


def test_turning_off_the_app_keeps_keys_and_codes(client, key):
    from tests.accounts.test_two_factor import app_device, code_for

    user = UserFactory()
    client.force_login(user)
    register(client, key)
    device = app_device(user)
    response = client.post(
        reverse("accounts:two_factor_disable"), {"password": PASSWORD, "code": code_for(device)}
    )
    assert response.status_code == 302
    assert WebAuthnCredential.objects.filter(user=user).exists()
    assert StaticDevice.objects.filter(user=user).exists()


def test_an_admins_reset_removes_the_keys(world, key):
    user = UserFactory()
    enrolled(user, key)
    two_factor_reset(by=world.users["admin"], user=user)
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_export_lists_names_and_dates_but_not_keys_and_erase_removes_them(client, key):
    user = UserFactory()
    stored = enrolled(user, key)
    data = export_data(Subject.for_user(user))
    records = data["data"]["accounts.security_keys"]["records"]
    assert records[0]["name"] == "Schlüssel"
    assert "created_at" in records[0] and "last_used_at" in records[0]
    text = json.dumps(data, default=str)
    assert stored.credential_id not in text
    assert "public_key" not in text
    result = erase_data(Subject.for_user(user))
    assert not WebAuthnCredential.objects.exists()
    assert result["accounts.security_keys"] == 1


def test_a_form_post_instead_of_json_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:security_key_register"), {"name": "x"})
    assert response.status_code == 400
    assert client.post(reverse("accounts:login_key"), {"credential": "x"}).status_code == 400
