"""Residents' own accounts and the admins' role management."""

from __future__ import annotations

import datetime
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartier.accounts import tokens
from quartier.accounts.models import Role, RoleAssignment, User
from quartier.directory.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.directory import PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "ein-langes-Passwort-42"


def test_signup_stores_only_username_email_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "username": "nachbarin",
                "email": "Nachbarin@Example.org",
                "password1": GOOD_PASSWORD,
                "password2": GOOD_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")
    user = User.objects.get(username="nachbarin")
    assert user.email == "nachbarin@example.org"
    assert user.display_name == ""
    assert not user.role_assignments.exists()
    # Not usable before the address is confirmed.
    assert not user.is_active
    assert client.get(reverse("accounts:profile")).status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["nachbarin@example.org"]
    link = re.search(r"http://\S+/konto/registrieren/bestaetigen/\S+/", mail.body)[0]
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active
    response = client.post(
        reverse("accounts:login"), {"username": "nachbarin", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_confirmation_link_refuses_changed_or_expired_tokens(client):
    user = UserFactory(username="wartend", is_active=False)
    token = tokens.activation_token(user)
    url = reverse("accounts:signup_confirm", kwargs={"token": token[:-2] + "xx"})
    response = client.post(url)
    assert response.status_code == 400
    assert "nicht (mehr) gültig" in response.content.decode()
    with mock.patch("time.time", return_value=time.time() - 8 * 86_400):
        old = tokens.activation_token(user)
    response = client.post(reverse("accounts:signup_confirm", kwargs={"token": old}))
    assert response.status_code == 400
    assert "abgelaufen" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_confirmation_link_does_not_reactivate_a_deactivated_account(client):
    user = UserFactory(username="gesperrt", is_active=False, last_login=timezone.now())
    url = reverse("accounts:signup_confirm", kwargs={"token": tokens.activation_token(user)})
    assert client.post(url).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password2": "anders-und-lang-42"}, "nicht identisch"),
        ({"password1": "123", "password2": "123"}, "zu kurz"),
        ({"email": "keine-mail"}, "gültige E-Mail-Adresse"),
        ({"password1": "Sommer2024", "password2": "Sommer2024"}, "zu leicht zu erraten"),
    ],
)
def test_signup_refuses_bad_input(world, client, data, message):
    payload = {
        "username": "neu",
        "email": "neu@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    payload.update(data)
    response = client.post(reverse("accounts:signup"), payload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not User.objects.filter(username="neu").exists()


def test_signup_can_be_switched_off(client, settings):
    settings.QUARTIER_SELF_REGISTRATION = False
    assert client.get(reverse("accounts:signup")).status_code == 404


def test_signup_with_a_registered_address_answers_alike_and_mails_its_owner(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    payload = {
        "username": "neu",
        "email": "Resident@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(reverse("accounts:signup"), payload)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(
            reverse("accounts:signup"), {**payload, "username": "neu2", "email": "frei@example.org"}
        )
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert _main(client.get(taken["Location"])) == _main(client.get(fresh["Location"]))
    assert not User.objects.filter(username="neu").exists()
    owner, newcomer = mailoutbox
    assert owner.to == ["resident@example.org"]
    assert "bereits ein Quartier-Konto" in owner.subject
    assert "resident" in owner.body and "/konto/passwort/vergessen/" in owner.body
    assert newcomer.to == ["frei@example.org"]


def test_signup_with_a_taken_username_answers_alike_and_mails_the_name_given(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 19: the page must not tell that a username has an account either; the account
    gets a free variant and the mail to the (new) address names it."""
    payload = {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            reverse("accounts:signup"),
            {**payload, "username": "RESIDENT", "email": "zweite@example.org"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(
            reverse("accounts:signup"),
            {**payload, "username": "ganzneu", "email": "dritte@example.org"},
        )
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert _main(client.get(taken["Location"])) == _main(client.get(fresh["Location"]))
    assert "bereits vergeben" not in client.get(taken["Location"]).content.decode()
    newcomer = User.objects.get(email="zweite@example.org")
    assert newcomer.username == "RESIDENT2" and not newcomer.is_active
    assert User.objects.get(username="resident").email == "resident@example.org"  # untouched
    variant_mail, plain_mail = mailoutbox
    assert variant_mail.to == ["zweite@example.org"]
    assert "„RESIDENT“ war bereits vergeben" in variant_mail.body
    assert "„RESIDENT2“" in variant_mail.body
    assert "vergeben" not in plain_mail.body


def test_free_username_counts_up_past_taken_variants(world):
    from quartier.accounts.services import free_username

    UserFactory(username="resident2")
    assert free_username("Resident") == "Resident3"
    assert free_username("niemand") == "niemand"
    long_name = "x" * 150
    UserFactory(username=long_name)
    assert free_username(long_name) == "x" * 144 + "2"


def _main(response) -> str:
    """The page's main content (the rest holds a fresh CSRF token per response)."""
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def test_signup_mail_is_not_sent_when_the_transaction_rolls_back(world, mailoutbox):
    from django.db import transaction

    from quartier.accounts.services import user_register

    with pytest.raises(RuntimeError), transaction.atomic():
        user_register(username="neu", email="resident@example.org", password=GOOD_PASSWORD)
        user_register(username="neu3", email="neu3@example.org", password=GOOD_PASSWORD)
        raise RuntimeError
    assert mailoutbox == []
    assert not User.objects.filter(username="neu3").exists()


def test_profile_change_and_password_change(world):
    client = world.client("resident")
    response = client.post(
        reverse("accounts:profile"), {"email": "neu@example.org", "display_name": "Nachbarin"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="resident")
    assert user.email == "neu@example.org"
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "test-password-123",
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_account_deletion_needs_the_password(world):
    client = world.client("resident")
    response = client.post(reverse("accounts:delete"), {"password": "falsch"})
    assert response.status_code == 422
    assert User.objects.filter(username="resident").exists()
    response = client.post(reverse("accounts:delete"), {"password": "test-password-123"})
    assert response.status_code == 302
    assert not User.objects.filter(username="resident").exists()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_deleting_a_contact_persons_login_keeps_the_person(world):
    world.person.user = world.users["editor"]
    world.person.save()
    client = world.client("editor")
    assert (
        client.post(reverse("accounts:delete"), {"password": "test-password-123"}).status_code
        == 302
    )
    world.person.refresh_from_db()
    assert world.person.user is None


def test_admin_assigns_and_withdraws_roles(world):
    client = world.client("admin")
    url = reverse("backoffice:accounts:roles")
    response = client.post(
        url, {"username": "resident", "role": Role.EDITOR, "organisation": world.organisation.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__username="resident")
    assert assignment.history.latest().history_user == world.users["admin"]
    revoke = reverse("backoffice:accounts:role_revoke", kwargs={"pk": assignment.pk})
    assert f'action="{revoke}"' in client.get(url).content.decode()
    assert (
        world.client("resident").get(reverse("backoffice:directory:organisation_list")).status_code
        == 200
    )
    client.post(reverse("backoffice:accounts:role_revoke", kwargs={"pk": assignment.pk}))
    assignment.refresh_from_db()
    assert not assignment.is_active
    assert (
        world.client("resident").get(reverse("backoffice:directory:organisation_list")).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"username": "niemand", "role": Role.EDITOR}, "keinen Benutzer"),
        ({"username": "resident", "role": Role.PLANNER}, "braucht ein Gebiet"),
        ({"username": "resident", "role": Role.EDITOR}, "braucht eine Organisation"),
    ],
)
def test_role_form_refuses_incomplete_roles(world, data, field_message):
    response = world.client("admin").post(reverse("backoffice:accounts:roles"), data)
    assert response.status_code == 422
    assert field_message in response.content.decode()


def test_role_list_within_budget(world, django_assert_max_num_queries):
    from quartier.accounts.models import Role, RoleAssignment
    from tests.budget import assert_queries_do_not_grow

    client = world.client("admin")

    def add(n: int) -> None:
        for _ in range(n):
            user = UserFactory()
            RoleAssignment.objects.create(
                user=user, role=Role.EDITOR, organisation=world.organisation
            )
            RoleAssignment.objects.create(user=user, role=Role.PLANNER, area=world.city)

    assert_queries_do_not_grow(lambda: client.get(reverse("backoffice:accounts:roles")), add)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:accounts:roles"))
    assert "coordinator" in response.content.decode()


def test_purge_personal_data_applies_the_retention_rules(world, settings):
    settings.QUARTIER_ACCOUNT_RETENTION_DAYS = 30
    settings.QUARTIER_PERSON_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=40)
    stale = UserFactory(username="alt", last_login=long_ago)
    User.objects.filter(pk=stale.pk).update(date_joined=long_ago)
    never = UserFactory(username="nie")
    User.objects.filter(pk=never.pk).update(date_joined=long_ago)
    fresh = UserFactory(username="frisch", last_login=timezone.now())
    # Staff roles are not resident accounts, however old.
    User.objects.filter(username="editor").update(last_login=long_ago, date_joined=long_ago)
    gone = PositionFactory(
        end_date=datetime.date.today() - datetime.timedelta(days=60), start_date=None
    ).person
    orphan = PersonFactory(family_name="Ohne")
    Person.objects.filter(pk=orphan.pk).update(created_at=long_ago)
    call_command("purge_personal_data", "--dry-run")
    assert User.objects.filter(username="alt").exists()
    call_command("purge_personal_data")
    remaining = set(User.objects.values_list("username", flat=True))
    assert "alt" not in remaining and "nie" not in remaining
    assert {"frisch", "editor", "resident"} <= remaining
    assert not Person.objects.filter(pk__in=[gone.pk, orphan.pk]).exists()
    assert not Person.history.filter(id__in=[gone.pk, orphan.pk]).exists()
    assert Person.objects.filter(pk=world.person.pk).exists()
    assert fresh.pk
