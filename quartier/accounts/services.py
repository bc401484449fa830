"""Writes on accounts and roles."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from simple_history.models import HistoricalRecords

from quartier.accounts import tasks
from quartier.accounts.models import RoleAssignment, User
from quartier.accounts.rules import forget_scope
from quartier.core import privacy
from quartier.core.tasks import enqueue_on_commit


class AccountNotDeletable(Exception):
    """Other records still need this account (they protect it from deletion)."""


@transaction.atomic
def user_register(*, username: str, email: str, password: str, language: str = "de") -> User | None:
    """A resident's own account: nothing but a username, an e-mail address and a password.

    The account stays inactive until the link mailed to the address confirms it. A taken
    username gets a free variant (free_username), named in that mail. An address
    that already has an account gets a mail saying so instead (or, while that account is still
    unconfirmed, its link again) and no account is made: the caller answers alike in every
    case, so the form does not tell whether an address is registered.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not existing.is_active and existing.last_login is None:
            enqueue_on_commit(tasks.send_signup_confirmation, existing.pk, language)
        else:
            enqueue_on_commit(tasks.send_signup_existing, existing.pk, language)
        return None
    user = User(username=free_username(username), email=email, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The name was taken at the same moment: the next free one.
        user.username = free_username(username)
        user.save()
    # A taken name is not refused on the page (that would tell who has an account): the
    # account gets a free variant, which the confirmation mail names.
    requested = username if user.username != username else ""
    enqueue_on_commit(tasks.send_signup_confirmation, user.pk, language, requested)
    return user


def free_username(wanted: str) -> str:
    """`wanted`, or if an account has it (in any case) the first free `wanted2`, `wanted3` ..."""
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=wanted).values_list(
            "username", flat=True
        )
    }
    if wanted.lower() not in taken:
        return wanted
    base = wanted[: User._meta.get_field("username").max_length - 6]
    number = 2
    while f"{base}{number}".lower() in taken:
        number += 1
    return f"{base}{number}"


@transaction.atomic
def user_activate(*, user: User) -> bool:
    """Confirm a sign-up; False when the account cannot be confirmed (used before, or
    deactivated by an admin after it was used)."""
    if user.is_active:
        return True
    if user.last_login is not None:
        return False
    user.is_active = True
    # The link came to this address: it is proven.
    user.email_verified_at = timezone.now()
    user.save(update_fields=["is_active", "email_verified_at"])
    return True


@transaction.atomic
def password_reset_request(*, email: str, language: str = "de") -> None:
    """Mail a reset link to the active account with this address, if there is one. The caller
    answers alike either way."""
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if user.has_usable_password():
            enqueue_on_commit(tasks.send_password_reset, user.pk, language)


@transaction.atomic
def user_update_profile(*, user: User, email: str, display_name: str) -> User:
    if email.strip().lower() != user.email.strip().lower():
        # A new address is unproven until a mailed link reaches it.
        user.email_verified_at = None
    user.email = email
    user.display_name = display_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email", "display_name", "email_verified_at"])
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and what hangs on it (role assignments); a contact person linked to it
    stays without a login (directory.Person.user is SET_NULL)."""
    # simple-history would name the request's user (this very user) as the author of the
    # history rows that the cascade writes, a reference to a row that is being deleted. Those
    # rows get no author instead.
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        del HistoricalRecords.context.request
    try:
        user.delete()
    except ProtectedError as exc:
        raise AccountNotDeletable(str(exc)) from exc
    finally:
        if request is not None:
            HistoricalRecords.context.request = request


@transaction.atomic
def role_assign(*, by: User, user: User, role: str, area=None, organisation=None) -> RoleAssignment:
    """Give `user` a role (or re-activate the same one given before)."""
    assignment = RoleAssignment.objects.filter(
        user=user, role=role, area=area, organisation=organisation
    ).first()
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, area=area, organisation=organisation)
        assignment.full_clean()
        assignment._history_user = by
        assignment.save()
    elif not assignment.is_active:
        assignment.is_active = True
        assignment._history_user = by
        assignment.save(update_fields=["is_active"])
    forget_scope(user)
    return assignment


@transaction.atomic
def role_revoke(*, by: User, assignment: RoleAssignment) -> RoleAssignment:
    """Deactivate a role; the row stays as the record that the role existed."""
    if assignment.is_active:
        assignment.is_active = False
        assignment._history_user = by
        assignment.save(update_fields=["is_active"])
    forget_scope(assignment.user)
    return assignment


def resident_account(user: User) -> bool:
    """No role, no admin rights: what a mailed link or a letter may delete."""
    return not (user.is_superuser or user.is_staff or user.role_assignments.exists())


def _record(
    *, kind: str, channel: str, email: str, by: User | None, reference: str, records: int
) -> None:
    from quartier.accounts.models import PrivacyRequest
    from quartier.core.privacy import address_digest

    PrivacyRequest.objects.create(
        kind=kind,
        channel=channel,
        address_digest=address_digest(email),
        handled_by=by,
        reference=reference,
        records=records,
    )


@transaction.atomic
def privacy_request_mail(*, email: str, language: str = "de") -> None:
    """Mail the link to one's data (DSGVO Art. 15/17/20) to the address, whatever it holds:
    the caller answers alike either way."""
    enqueue_on_commit(tasks.send_privacy_link, email.strip().lower(), language)


@transaction.atomic
def privacy_export(
    *, subject: privacy.Subject, channel: str, by: User | None = None, reference: str = ""
) -> dict:
    """Everything about the subject (core.privacy.export_data), recorded as handled."""
    data = privacy.export_data(subject)
    _record(
        kind="export",
        channel=channel,
        email=subject.email,
        by=by,
        reference=reference,
        records=privacy.count(data),
    )
    return data


@transaction.atomic
def privacy_erase(
    *, subject: privacy.Subject, channel: str, by: User | None = None, reference: str = ""
) -> dict[str, int]:
    """Erase everything tied to the subject in every app (core.privacy.erase_data), recorded
    as handled. An account that other records protect stops the erasure before anything
    changes (AccountNotDeletable); the notes of `subject` say what stays and why."""
    if subject.user is not None:
        # simple-history would name this very user as the author of rows the cascade writes.
        request = getattr(HistoricalRecords.context, "request", None)
        if request is not None:
            del HistoricalRecords.context.request
    else:
        request = None
    try:
        counts = privacy.erase_data(subject)
    except ProtectedError as exc:
        raise AccountNotDeletable(str(exc)) from exc
    finally:
        if request is not None:
            HistoricalRecords.context.request = request
    _record(
        kind="erase",
        channel=channel,
        email=subject.email,
        by=by,
        reference=reference,
        records=sum(counts.values()),
    )
    return counts
