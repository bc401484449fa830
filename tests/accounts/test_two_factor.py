"""Second factor: who must have it, enrolment, the login step, recovery codes, resets."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts import twofactor
from quartier.accounts.security import recovery_codes_renew
from tests.factories.accounts import UserFactory
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

ORGANISATIONS = "backoffice:directory:organisation_list"


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def app_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=twofactor.TOTP_NAME, confirmed=True)


def password_login(client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("resident", False),
        ("editor", True),
        ("coordinator", True),
        ("planner", True),
        ("admin", True),
    ],
)
def test_staff_roles_and_admins_require_a_second_factor(world, role, required):
    assert twofactor.requires_second_factor(world.users[role]) is required


def test_staff_without_a_device_must_enrol_before_anything_else(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would make the right one wait
    response = password_login(client, "editor", next_url=reverse(ORGANISATIONS))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    # Internal pages, the admin and the API's writes stay closed until the code is entered.
    for url in (reverse(ORGANISATIONS), "/admin/", reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:two_factor_setup")), url
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert '<svg role="img"' in body and "<path" in body
    assert "http" not in body[body.index("<svg") : body.index("</svg>")].replace(
        "http://www.w3.org/2000/svg", ""
    )
    device = TOTPDevice.objects.get(user=world.users["editor"], confirmed=False)
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    if code_for(device) != "000000":
        assert wrong.status_code == 422
        assert "stimmt nicht" in wrong.content.decode()
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    device.refresh_from_db()
    assert device.confirmed
    codes = client.get(reverse("accounts:recovery_codes"))
    shown = codes.context["codes"]
    assert len(shown) == twofactor.RECOVERY_CODE_COUNT
    # Shown once: the next visit offers to make new ones instead.
    assert client.get(reverse("accounts:recovery_codes")).context["codes"] is None
    assert client.get(reverse(ORGANISATIONS)).status_code == 200


def test_login_asks_for_the_code_and_keeps_next(world, client):
    device = app_device(world.users["planner"])
    response = password_login(client, "planner", next_url=reverse(ORGANISATIONS))
    assert response["Location"].startswith(reverse("accounts:login_verify"))
    assert client.get(reverse(ORGANISATIONS)).status_code == 302
    # The API sees the half login as anonymous: public reads still work.
    assert client.get(reverse("api:directory_organisation_list")).status_code == 200
    page = client.get(response["Location"])
    assert page.status_code == 200
    session_before = client.session.session_key
    response = client.post(
        reverse("accounts:login_verify"),
        {"code": code_for(device), "next": reverse(ORGANISATIONS)},
    )
    assert response["Location"] == reverse(ORGANISATIONS)
    assert client.session.session_key != session_before
    assert client.get(reverse(ORGANISATIONS)).status_code == 200


def test_wrong_codes_are_refused_and_throttled(world, client):
    device = app_device(world.users["coordinator"])
    password_login(client, "coordinator")
    right = code_for(device)
    wrong = "123456" if right != "123456" else "654321"
    response = client.post(reverse("accounts:login_verify"), {"code": wrong})
    assert response.status_code == 422
    assert "stimmt nicht" in response.content.decode()
    # django-otp's throttle: right after a failure even the right code waits.
    response = client.post(reverse("accounts:login_verify"), {"code": right})
    assert response.status_code == 422
    assert "Bitte warten Sie" in response.content.decode()
    assert not client.session.get(DEVICE_ID_SESSION_KEY)


def test_recovery_code_logs_in_once(world, client):
    user = world.users["admin"]
    app_device(user)
    codes = recovery_codes_renew(user=user)
    password_login(client, "admin")
    response = client.post(reverse("accounts:login_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post(reverse("accounts:logout"))
    password_login(client, "admin")
    response = client.post(reverse("accounts:login_verify"), {"code": codes[0]})
    assert response.status_code == 422
    assert StaticDevice.objects.get(user=user).token_set.count() == len(codes) - 1


def test_resident_may_turn_it_on_and_then_needs_it(world, client):
    resident = world.users["resident"]
    password_login(client, "resident")
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=resident)
    client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device)})
    client.post(reverse("accounts:logout"))
    password_login(client, "resident")
    assert client.get(reverse("accounts:profile"))["Location"].startswith(
        reverse("accounts:login_verify")
    )


def test_a_password_alone_cannot_replace_an_existing_device(world, client):
    device = app_device(world.users["editor"])
    password_login(client, "editor")
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response["Location"].startswith(reverse("accounts:login_verify"))
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=world.users["editor"]).count() == 1


def test_turning_it_off_needs_password_and_code(world):
    user = world.users["resident"]
    client = world.client("resident")
    device = app_device(user)
    recovery_codes_renew(user=user)
    url = reverse("accounts:two_factor_disable")
    response = client.post(url, {"password": "falsch", "code": code_for(device)})
    assert response.status_code == 422
    assert TOTPDevice.objects.filter(user=user).exists()
    response = client.post(url, {"password": PASSWORD, "code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()


def test_staff_who_turn_it_off_must_set_it_up_again(world):
    client = world.client("planner")
    device = TOTPDevice.objects.get(user=world.users["planner"])
    response = client.post(
        reverse("accounts:two_factor_disable"), {"password": PASSWORD, "code": code_for(device)}
    )
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse(ORGANISATIONS))["Location"].startswith(
        reverse("accounts:two_factor_setup")
    )


def test_admin_resets_a_locked_out_users_second_factor(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    editor = world.client("editor")  # verified with its device
    assert editor.get(reverse(ORGANISATIONS)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("admin").post(
            reverse("backoffice:accounts:security"), {"username": "editor"}
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.users["editor"]).exists()
    # The verified session ends with the device it was verified with.
    assert editor.get(reverse(ORGANISATIONS))["Location"].startswith(
        reverse("accounts:two_factor_setup")
    )
    [mail] = mailoutbox
    assert mail.to == [world.users["editor"].email]


def test_only_admins_reset_second_factors(world):
    app_device(world.users["editor"])
    response = world.client("planner").post(
        reverse("backoffice:accounts:security"), {"username": "editor"}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=world.users["editor"]).exists()


def test_reset_form_names_unknown_users(world):
    response = world.client("admin").post(
        reverse("backoffice:accounts:security"), {"username": "niemand"}
    )
    assert response.status_code == 422
    assert "keinen Benutzer" in response.content.decode()


def test_reset_two_factor_command(world):
    from django.core.management import call_command

    user = UserFactory(username="chefin", is_superuser=True, is_staff=True)
    app_device(user)
    call_command("reset_two_factor", "chefin")
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_force_login_in_tests_is_a_verified_session(world):
    client = world.client("editor")
    assert client.get(reverse(ORGANISATIONS)).status_code == 200
    # Without the device in the session the same login is half done.
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    assert client.get(reverse(ORGANISATIONS)).status_code == 302
