"""The mails of joint statements, each a task the services enqueue after commit
(core/tasks.enqueue_on_commit): a rollback sends nothing.

- `send_signing_requests`: the statement is open for signature (or its text changed while
  open); every person who may sign for a member organisation (networks `Delegate.may_sign`)
  gets one mail naming the organisations they sign for and a link to the statement in the back
  office. Signing needs their own login (statements/rules.py), so the link is a plain link, not
  a signed token: a forwarded mail signs nothing.
- `send_publication_notice`: the statement is published; each login that signed gets the
  public link.

Neither Person nor User stores a language, so the mails are in the site's language
(settings.LANGUAGE_CODE), as the other mails to delegates are (networks/mail.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from quartier.statements import selectors
from quartier.statements.models import State, Statement


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass
class _Recipient:
    address: str
    name: str
    has_login: bool
    organisations: list[str] = field(default_factory=list)


def _address(person, user) -> str:
    """The person's directory address, else the login's (the login's is confirmed)."""
    if person is not None and person.email:
        return person.email
    return user.email if user is not None and user.email else ""


def _send(statement: Statement, recipients: list[_Recipient], template: str, url: str) -> int:
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in recipients:
            context = {
                "statement": statement,
                "body": statement.body,
                "recipient": recipient,
                "url": url,
            }
            sent += send_mail(
                render_to_string(f"statements/emails/{template}_subject.txt", context).strip(),
                render_to_string(f"statements/emails/{template}.txt", context),
                None,
                [recipient.address],
            )
    return sent


@task()
def send_signing_requests(statement_id: int, organisation_ids: list[int] | None = None) -> int:
    """Ask the signatories of the body's members to sign; `organisation_ids` limits the mail
    to those organisations (their signatures were withdrawn by a change of the text).
    Organisations that have signed already are left out. Returns the mails sent."""
    statement = Statement.objects.select_related("body").filter(pk=statement_id).first()
    if statement is None or statement.state != State.OPEN:
        return 0
    signed = set(statement.signatures.valid().values_list("organisation_id", flat=True))
    by_address: dict[str, _Recipient] = {}
    for delegate in selectors.signatory_delegates(statement):
        organisation = delegate.membership.organisation
        if organisation.pk in signed:
            continue
        if organisation_ids is not None and organisation.pk not in organisation_ids:
            continue
        person = delegate.person
        address = _address(person, person.user)
        if not address:
            continue
        recipient = by_address.setdefault(
            address.lower(),
            _Recipient(
                address=address, name=person.full_name, has_login=person.user_id is not None
            ),
        )
        if organisation.name not in recipient.organisations:
            recipient.organisations.append(organisation.name)
    url = _url(reverse("backoffice:statements:detail", kwargs={"pk": statement.pk}))
    return _send(statement, list(by_address.values()), "sign_request", url)


@task()
def send_publication_notice(statement_id: int) -> int:
    """Tell each login that signed that the statement is published, with its public link."""
    statement = Statement.objects.select_related("body").filter(pk=statement_id).first()
    if statement is None or statement.state != State.PUBLISHED:
        return 0
    by_address: dict[str, _Recipient] = {}
    for signature in selectors.signers(statement):
        user = signature.signed_by
        if user is None:  # selectors.signers leaves these out; the account may be gone since
            continue
        person = getattr(user, "person", None)
        address = _address(person, user)
        if not address:
            continue
        name = person.full_name if person is not None else user.get_full_name()
        recipient = by_address.setdefault(
            address.lower(), _Recipient(address=address, name=name, has_login=True)
        )
        if signature.organisation.name not in recipient.organisations:
            recipient.organisations.append(signature.organisation.name)
    return _send(
        statement, list(by_address.values()), "published", _url(statement.get_absolute_url())
    )
