"""The mails of publications: the sign-up confirmation (a task), and the e-mail edition of an
issue, rendered once per mailing and addressed per recipient (tasks.mailing_send).

The edition goes out as bytes prepared once per language (`prepare_edition`): Django builds
the MIME message a single time with placeholders, and each recipient's mail is those bytes
with the placeholders replaced (To, Date, Message-ID, the unsubscribe and manage links).
Building an EmailMultiAlternatives per recipient (`edition_message`) cost most of the
worker's time; it stays for backends other than SMTP and for an edition that cannot be
prepared (see prepare_edition).

Reads models, tokens and selectors, never the services.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.publications import selectors, tokens
from quartier.publications.models import Issue, NewsletterList, Subscriber

# Placeholders in the rendered edition, replaced per recipient.
UNSUBSCRIBE_MARK = "__QUARTIER_UNSUBSCRIBE_URL__"
MANAGE_MARK = "__QUARTIER_MANAGE_URL__"
# Placeholders only in the headers of a prepared edition (the To one must look like an address).
TO_MARK = "__quartier_to__@recipient.invalid"
DATE_MARK = "__QUARTIER_DATE__"
MESSAGE_ID_MARK = "__QUARTIER_MESSAGE_ID__"


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


def _pack(pieces: list[str]) -> list[str]:
    """Pieces of HTML joined by spaces into lines of at most MAX_LINE_OCTETS; a piece with a
    recipient's placeholder stays a line of its own, so that the link has room."""
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for piece in filter(None, (piece.strip() for piece in pieces)):
        octets = len(piece.encode())
        alone = UNSUBSCRIBE_MARK in piece or MANAGE_MARK in piece
        if current and (alone or size + 1 + octets > MAX_LINE_OCTETS):
            lines.append(" ".join(current))
            current, size = [], 0
        if alone:
            lines.append(piece)
        else:
            current.append(piece)
            size += octets + (1 if size else 0)
    if current:
        lines.append(" ".join(current))
    return lines


def short_lines(text: str, *, html: bool) -> str:
    """The text with no line longer than MAX_LINE_OCTETS where it can be broken: HTML between
    block elements or at a space outside a tag (the same rendering), text at word boundaries.

    HTML is also packed into as few lines as that allows: its line breaks are white space
    (an edition has no <pre>: html.TAGS), and every line costs the mail servers on the way
    their per-line handling (the bench edition: 353 HTML lines packed into 74, a fifth of the
    mail's 1,446 lines, which were most of the bench sink's time)."""
    if html:
        joined = " ".join(stripped for line in text.split("\n") if (stripped := line.strip()))
        return "\n".join(_pack(_split_html_line(joined)))
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line.encode()) <= MAX_LINE_OCTETS:
            lines.append(line)
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
    edition: RenderedEdition,
    *,
    subscriber_id: int,
    email: str,
    connection=None,
    links: tokens.RecipientLinks | None = None,
) -> EmailMultiAlternatives:
    """The edition addressed to one recipient, with the one-click unsubscribe (RFC 8058)."""
    links = links or tokens.RecipientLinks()
    unsubscribe = links.unsubscribe(subscriber_id)
    manage = links.manage(subscriber_id)
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


@dataclass(frozen=True)
class PreparedEdition:
    """The edition as the bytes SMTP sends (CRLF line ends), cut at its placeholders:
    `pieces` alternates literal bytes and a placeholder, literal first and last."""

    from_email: str
    pieces: tuple[bytes, ...]
    message_id: tuple[str, str]  # a Message-ID of this preparation, split at its "@"

    def address(
        self, *, subscriber_id: int, email: str, date: str, links: tokens.RecipientLinks
    ) -> tuple[str, bytes]:
        """(envelope recipient, the mail) for one subscriber."""
        recipient = _recipient(email)
        unsubscribe = links.unsubscribe(subscriber_id).encode()
        left, right = self.message_id
        values = {
            _TO: recipient.encode(),
            _DATE: date.encode(),
            _MESSAGE_ID: f"{left}.{subscriber_id}@{right}".encode(),
            _UNSUBSCRIBE: unsubscribe,
            _MANAGE: links.manage(subscriber_id).encode(),
        }
        pieces = list(self.pieces)
        for index in range(1, len(pieces), 2):
            pieces[index] = values[pieces[index]]
        return recipient, b"".join(pieces)


_TO, _DATE, _MESSAGE_ID = TO_MARK.encode(), DATE_MARK.encode(), MESSAGE_ID_MARK.encode()
_UNSUBSCRIBE, _MANAGE = UNSUBSCRIBE_MARK.encode(), MANAGE_MARK.encode()
_MARKS = re.compile(
    b"|".join(re.escape(mark) for mark in (_TO, _DATE, _MESSAGE_ID, _UNSUBSCRIBE, _MANAGE)).join(
        (b"(", b")")
    )
)
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]+")


def _recipient(email: str) -> str:
    """The address as the envelope and the To header carry it: as it is when it is plain
    ASCII, else as Django's SMTP backend encodes it (IDNA domain, encoded local part)."""
    if _PLAIN_ADDRESS.fullmatch(email) and email.count("@") == 1:
        return email
    return sanitize_address(email, settings.DEFAULT_CHARSET)


def prepare_edition(edition: RenderedEdition) -> PreparedEdition | None:
    """The edition built once as a MIME message with placeholders, or None when addressing it
    by replacing them could go wrong: a part Django had to encode (a line too long to break:
    quoted-printable may cut a placeholder, and its lines have no room for a link), or a line
    that would grow past 998 octets with the longest values. Then each mail is built whole
    with edition_message."""
    message = EmailMultiAlternatives(
        edition.subject,
        edition.text,
        settings.DEFAULT_FROM_EMAIL,
        [TO_MARK],
        headers={
            "Date": DATE_MARK,
            "Message-ID": f"<{MESSAGE_ID_MARK}>",
            "List-Unsubscribe": f"<{UNSUBSCRIBE_MARK}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": edition.list_id,
        },
    )
    message.attach_alternative(edition.html, "text/html")
    mime = message.message()
    if any(
        part["Content-Transfer-Encoding"] not in {"7bit", "8bit"}
        for part in mime.walk()
        if not part.is_multipart()
    ):
        return None  # quoted-printable lines are 76 characters at most: no room for a link
    raw = mime.as_bytes(linesep="\r\n")  # type: ignore[call-arg]  # SafeMIMEMultipart takes it
    links = tokens.RecipientLinks()
    longest = {  # the most each placeholder can grow to
        _TO: 700,  # 254 characters, a non-ASCII local part encoded
        _DATE: 40,
        _MESSAGE_ID: len(make_msgid(domain=DNS_NAME)) + 21,
        _UNSUBSCRIBE: len(links.unsubscribe(2**63 - 1)),
        _MANAGE: len(links.manage(2**63 - 1)),
    }
    expected = {
        _TO: 1,
        _DATE: 1,
        _MESSAGE_ID: 1,
        _UNSUBSCRIBE: 1
        + edition.text.count(UNSUBSCRIBE_MARK)
        + edition.html.count(UNSUBSCRIBE_MARK),
        _MANAGE: edition.text.count(MANAGE_MARK) + edition.html.count(MANAGE_MARK),
    }
    if any(raw.count(mark) != count for mark, count in expected.items()):
        return None
    for line in raw.split(b"\r\n"):
        marks = _MARKS.findall(line)
        growth = sum(longest[mark] - len(mark) for mark in marks)
        if marks and len(line) + growth > RFC5322_EMAIL_LINE_LENGTH_LIMIT:
            return None
    left, _at, right = make_msgid(domain=DNS_NAME).strip("<>").rpartition("@")
    return PreparedEdition(
        from_email=sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET),
        pieces=tuple(_MARKS.split(raw)),
        message_id=(left, right),
    )
