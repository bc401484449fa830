"""The mails of publications: the sign-up confirmation (a task), and the e-mail edition of an
issue, rendered once per mailing and addressed per recipient (tasks.mailing_send).

Reads models, tokens and selectors, never the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.publications import selectors, tokens
from quartier.publications.models import Issue, NewsletterList, Subscriber

# Placeholders in the rendered edition, replaced per recipient.
UNSUBSCRIBE_MARK = "__QUARTIER_UNSUBSCRIBE_URL__"
MANAGE_MARK = "__QUARTIER_MANAGE_URL__"


@task()
def send_confirmation(subscriber_id: int) -> None:
    """The confirmation link; for an address confirmed already, the note that it is."""
    subscriber = Subscriber.objects.select_related("newsletter").filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return
    with translation.override(subscriber.language):
        context = {
            "subscriber": subscriber,
            "newsletter": subscriber.newsletter,
            "confirm_url": tokens.confirm_url(subscriber),
            "manage_url": tokens.manage_url(subscriber),
        }
        if subscriber.confirmed_at is None:
            subject = _("Please confirm your subscription: %(name)s")
            body = render_to_string("publications/email/confirm.txt", context)
        else:
            subject = _("You are subscribed already: %(name)s")
            body = render_to_string("publications/email/already.txt", context)
        EmailMessage(
            (subject % {"name": subscriber.newsletter.name})[:200],
            body,
            settings.DEFAULT_FROM_EMAIL,
            [subscriber.email],
        ).send()


@dataclass(frozen=True)
class RenderedEdition:
    subject: str
    text: str
    html: str
    list_id: str


def render_edition(issue: Issue, newsletter: NewsletterList) -> RenderedEdition:
    """The e-mail edition: HTML (images by absolute URL, each with its text) and plain text,
    with placeholders for the recipient's links."""
    edition = selectors.edition(issue)
    context = {
        "edition": edition,
        "issue": issue,
        "newsletter": newsletter,
        "site_url": settings.SITE_URL,
        "web_url": settings.SITE_URL + issue.get_absolute_url(),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "manage_url": MANAGE_MARK,
    }
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return RenderedEdition(
        subject=f"{issue.title} {issue.number}"[:200],
        text=render_to_string("publications/email/issue.txt", context),
        html=render_to_string("publications/email/issue.html", context),
        list_id=f"{newsletter.name} <{newsletter.slug}.{domain or 'localhost'}>",
    )


def edition_message(
    edition: RenderedEdition, *, subscriber_id: int, email: str, connection=None
) -> EmailMultiAlternatives:
    """The edition addressed to one recipient, with the one-click unsubscribe (RFC 8058)."""
    from quartier.core import tokens as core_tokens

    unsubscribe = settings.SITE_URL + _path(
        "publications:unsubscribe", core_tokens.make(tokens.UNSUBSCRIBE, subscriber_id)
    )
    manage = settings.SITE_URL + _path(
        "publications:manage", core_tokens.make(tokens.MANAGE, subscriber_id)
    )
    message = EmailMultiAlternatives(
        edition.subject,
        edition.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage),
        settings.DEFAULT_FROM_EMAIL,
        [email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": edition.list_id,
        },
        connection=connection,
    )
    message.attach_alternative(
        edition.html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage),
        "text/html",
    )
    return message


def _path(name: str, token: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"token": token})
