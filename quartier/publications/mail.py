"""The mails of publications: the sign-up confirmation (a task), and the e-mail edition of an
issue, rendered once per mailing and addressed per recipient (tasks.mailing_send).

Reads models, tokens and selectors, never the services.
"""

from __future__ import annotations

import re
import textwrap
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


# RFC 5322 allows 998 octets a line. As soon as one line of a part is longer, Django encodes
# the whole part as quoted-printable, and it does so for every recipient: for an edition of
# some 50 KB that was most of the CPU a mail cost. Lines are kept below this instead, so the
# parts go out as plain 8-bit UTF-8.
MAX_LINE_OCTETS = 900
_BLOCK_END = re.compile(r"(?<=</p>)|(?<=</li>)|(?<=<br>)|(?<=</h[1-6]>)|(?<=</[uo]l>)|(?<=</tr>)")


def _split_html_line(line: str) -> list[str]:
    """A long line of HTML: after closing block tags, then at spaces outside tags."""
    pieces = []
    for part in _BLOCK_END.split(line):
        while len(part.encode()) > MAX_LINE_OCTETS:
            cut, in_tag = -1, False
            for index, char in enumerate(part[: MAX_LINE_OCTETS // 3]):
                if char == "<":
                    in_tag = True
                elif char == ">":
                    in_tag = False
                elif char == " " and not in_tag and index:
                    cut = index
            if cut <= 0:
                break  # no space outside a tag: leave the line as it is (Django then encodes)
            pieces.append(part[:cut])
            part = part[cut + 1 :]
        if part:
            pieces.append(part)
    return pieces


def short_lines(text: str, *, html: bool) -> str:
    """The text with no line longer than MAX_LINE_OCTETS where it can be broken: HTML between
    block elements or at a space outside a tag (the same rendering), text at word boundaries."""
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line.encode()) <= MAX_LINE_OCTETS:
            lines.append(line)
        elif html:
            lines.extend(_split_html_line(line))
        else:
            lines.extend(
                textwrap.wrap(line, width=76, break_long_words=False, break_on_hyphens=False)
            )
    return "\n".join(lines)


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
        text=short_lines(render_to_string("publications/email/issue.txt", context), html=False),
        html=short_lines(render_to_string("publications/email/issue.html", context), html=True),
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
