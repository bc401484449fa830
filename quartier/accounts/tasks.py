"""Background work for accounts (django-tasks): the mails. Queued through
core.tasks.enqueue_on_commit, so a rolled-back change sends nothing."""

from __future__ import annotations

from django_tasks import task

from quartier.accounts import mail
from quartier.accounts.models import User


@task()
def send_signup_confirmation(user_id: int, language: str, requested_username: str = "") -> None:
    """`requested_username`: the name asked for, when it was taken and the account got
    another (services.free_username)."""
    user = User.objects.filter(pk=user_id, is_active=False, last_login=None).first()
    if user is not None:
        mail.send_signup_confirmation(user, language, requested_username)


@task()
def send_signup_existing(user_id: int, language: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        mail.send_signup_existing(user, language)


@task()
def send_password_reset(user_id: int, language: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None and user.has_usable_password():
        mail.send_password_reset(user, language)


@task()
def send_two_factor_reset(user_id: int, language: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        mail.send_two_factor_reset(user, language)


@task()
def send_privacy_link(email: str, language: str) -> None:
    mail.send_privacy_link(email, language)
