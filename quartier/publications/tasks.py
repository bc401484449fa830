"""Background work of publications: sending an issue's e-mail edition to a list.

`mailing_send` runs in the worker. It reads the recipients in batches by primary key
(keyset: never all of them in memory) and hands each batch to a few senders, each with its
own SMTP connection kept open for the whole mailing, at the configured rate: while the mail
server takes one mail, the next is being built and sent on the other connection. A delivery
that fails for a passing reason is retried on a new connection; one that keeps failing is
recorded (a refused address is marked bounced) and the batch goes on. After each batch the
progress is written in one transaction, so the sender sees it and a restarted worker resumes
there.

Each mail is the edition prepared once per language (mail.prepare_edition) with the
recipient's address, links and headers put in; with a backend other than SMTP, or an
edition that cannot be prepared, it is built whole per recipient (mail.edition_message).

Settings: QUARTIER_NEWSLETTER_BATCH (recipients per batch, 200), QUARTIER_NEWSLETTER_RATE
(mails per second, 0 = as fast as the mail server takes them), QUARTIER_NEWSLETTER_ATTEMPTS
(3), QUARTIER_NEWSLETTER_RETRY_SECONDS (2, doubled per attempt) and
QUARTIER_NEWSLETTER_CONNECTIONS (SMTP connections in flight, 2).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from quartier.publications import mail, tokens
from quartier.publications.models import (
    DeliveryFailure,
    Mailing,
    MailingStatus,
    Subscriber,
)

logger = logging.getLogger(__name__)


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


class _Pacer:
    """At most `rate` mails a second (0: no limit), measured from the start of the run, over
    all senders together."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.start = time.monotonic()
        self.count = 0
        self.lock = threading.Lock()

    def wait(self) -> None:
        if self.rate <= 0:
            return
        with self.lock:
            self.count += 1
            due = self.start + self.count / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def _permanent(exc: Exception) -> bool:
    """A refusal the mail server means for good (5xx); everything else may pass."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, msg = next(iter(exc.recipients.values()))
        text = msg.decode(errors="replace") if isinstance(msg, bytes) else str(msg)
        return f"{code} {text}"[:300]
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


class _Sender:
    """One connection of the configured mail backend, opened at the first mail and kept open;
    closed after a failure that may pass, so that the retry starts on a new one."""

    def __init__(self) -> None:
        self.backend = get_connection()

    def send(self, recipient: str, message: bytes | EmailMessage, from_email: str) -> None:
        if isinstance(message, bytes):
            if self.backend.connection is None:
                self.backend.open()
            self.backend.connection.sendmail(from_email, [recipient], message)
        else:
            self.backend.open()  # no-op while open: one connection for every message
            self.backend.send_messages([message])

    def close(self) -> None:
        # A QUIT that fails drops the connection all the same (the backend forgets it).
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self.backend.close()


def _deliver(send, sender: _Sender) -> tuple[bool, Exception | None]:
    """Call send(sender) with retries; (delivered, the last error)."""
    attempts = int(_setting("QUARTIER_NEWSLETTER_ATTEMPTS", 3))
    pause = _setting("QUARTIER_NEWSLETTER_RETRY_SECONDS", 2)
    error: Exception | None = None
    for attempt in range(attempts):
        try:
            send(sender)
            return True, None
        except (smtplib.SMTPException, OSError) as exc:
            error = exc
            if _permanent(exc):
                return False, exc  # smtplib has reset the transaction: the connection goes on
            sender.close()  # reconnects at the next send
            if attempt + 1 < attempts and pause:
                time.sleep(pause * 2**attempt)
    return False, error


class _Editions:
    """The edition in each subscriber's language: the frame (sections, links, footer) is
    translated, the articles stay as written. Rendered and prepared once per language, in
    the task's thread (rendering reads the database)."""

    def __init__(self, mailing: Mailing, *, raw: bool) -> None:
        self.mailing = mailing
        self.raw = raw
        self.rendered: dict[str, mail.RenderedEdition] = {}
        self.prepared: dict[str, mail.PreparedEdition | None] = {}

    @staticmethod
    def language(code: str) -> str:
        return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def load(self, codes: set[str]) -> None:
        for language in {self.language(code) for code in codes} - set(self.rendered):
            with translation.override(language):
                rendered = mail.render_edition(self.mailing.issue, self.mailing.newsletter)
            self.rendered[language] = rendered
            self.prepared[language] = mail.prepare_edition(rendered) if self.raw else None


@task()
def mailing_send(mailing_id: int) -> None:
    mailing = (
        Mailing.objects.select_related("issue__area", "newsletter").filter(pk=mailing_id).first()
    )
    if mailing is None or mailing.status == MailingStatus.DONE:
        return
    Mailing.objects.filter(pk=mailing.pk).update(
        status=MailingStatus.SENDING, started_at=mailing.started_at or timezone.now()
    )
    batch_size = int(_setting("QUARTIER_NEWSLETTER_BATCH", 200))
    pacer = _Pacer(_setting("QUARTIER_NEWSLETTER_RATE", 0))
    links = tokens.RecipientLinks()
    senders: list[_Sender] = []
    local = threading.local()
    lock = threading.Lock()

    def sender() -> _Sender:
        if not hasattr(local, "sender"):
            local.sender = _Sender()
            with lock:
                senders.append(local.sender)
        return local.sender

    # Prepared bytes go straight to an SMTP connection; other backends take EmailMessages.
    editions = _Editions(mailing, raw=isinstance(get_connection(), SmtpBackend))
    date = ""

    def deliver(row: tuple[int, str, str]) -> tuple[int, bool, Exception | None]:
        """One recipient, in a sender's thread: build the mail, pace, send with retries."""
        subscriber_id, email, language = row
        language = editions.language(language)
        prepared = editions.prepared[language]
        if prepared is not None:
            recipient, raw = prepared.address(
                subscriber_id=subscriber_id, email=email, date=date, links=links
            )

            def send(sender: _Sender) -> None:
                sender.send(recipient, raw, prepared.from_email)
        else:
            message = mail.edition_message(
                editions.rendered[language], subscriber_id=subscriber_id, email=email, links=links
            )

            def send(sender: _Sender) -> None:
                sender.send(email, message, "")

        pacer.wait()
        delivered, error = _deliver(send, sender())
        return subscriber_id, delivered, error

    connections = max(1, int(_setting("QUARTIER_NEWSLETTER_CONNECTIONS", 2)))
    last = mailing.last_subscriber_id
    try:
        with ThreadPoolExecutor(connections, thread_name_prefix="newsletter") as pool:
            while True:
                batch = list(
                    Subscriber.objects.active()
                    .filter(newsletter_id=mailing.newsletter_id, pk__gt=last)
                    .order_by("pk")
                    .values_list("pk", "email", "language")[:batch_size]
                )
                if not batch:
                    break
                editions.load({language for _pk, _email, language in batch})
                date = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
                sent, failures, refused = 0, [], []
                for subscriber_id, delivered, error in pool.map(deliver, batch):
                    if delivered:
                        sent += 1
                        continue
                    failures.append(
                        DeliveryFailure(
                            mailing_id=mailing.pk,
                            subscriber_id=subscriber_id,
                            error=_describe(error) if error else "",
                        )
                    )
                    if error is not None and _permanent(error):
                        refused.append(subscriber_id)
                last = batch[-1][0]
                _record_batch(mailing, sent=sent, failures=failures, refused=refused, last=last)
    finally:
        for each in senders:
            each.close()
    Mailing.objects.filter(pk=mailing.pk).update(
        status=MailingStatus.DONE, finished_at=timezone.now()
    )


@transaction.atomic
def _record_batch(
    mailing: Mailing,
    *,
    sent: int,
    failures: list[DeliveryFailure],
    refused: list[int],
    last: int,
) -> None:
    """A batch's result in one transaction: a row per failed recipient, refused addresses
    marked bounced, the mailing's counts and position (at most four queries)."""
    if failures:
        DeliveryFailure.objects.bulk_create(failures)
    if refused:
        Subscriber.objects.filter(pk__in=refused).update(bounced_at=timezone.now())
    Mailing.objects.filter(pk=mailing.pk).update(
        sent=F("sent") + sent, failed=F("failed") + len(failures), last_subscriber_id=last
    )
    if failures:
        logger.warning("Mailing %s: %s deliveries failed in a batch", mailing.pk, len(failures))
