"""Background work of publications: sending an issue's e-mail edition to a list.

`mailing_send` runs in the worker. It reads the recipients in batches by primary key
(keyset: never all of them in memory), sends each batch over one SMTP connection at the
configured rate, retries a delivery that fails for a passing reason, records one that keeps
failing (a refused address is marked bounced) and goes on with the next recipient; after each
batch it commits the progress, so the sender sees it and a restarted worker resumes there.

Settings: QUARTIER_NEWSLETTER_BATCH (recipients per batch, 200), QUARTIER_NEWSLETTER_RATE
(mails per second, 0 = as fast as the mail server takes them), QUARTIER_NEWSLETTER_ATTEMPTS
(3) and QUARTIER_NEWSLETTER_RETRY_SECONDS (2, doubled per attempt).
"""

from __future__ import annotations

import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from quartier.publications import mail
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
    """At most `rate` mails a second (0: no limit), measured from the start of the run."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.start = time.monotonic()
        self.count = 0

    def wait(self) -> None:
        self.count += 1
        if self.rate > 0:
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


def _deliver(connection, message) -> tuple[bool, Exception | None]:
    """Send one message with retries; (delivered, the last error)."""
    attempts = int(_setting("QUARTIER_NEWSLETTER_ATTEMPTS", 3))
    pause = _setting("QUARTIER_NEWSLETTER_RETRY_SECONDS", 2)
    error: Exception | None = None
    for attempt in range(attempts):
        try:
            connection.send_messages([message])
            return True, None
        except (smtplib.SMTPException, OSError) as exc:
            error = exc
            if _permanent(exc):
                return False, exc
            connection.close()  # reconnects at the next send
            if attempt + 1 < attempts and pause:
                time.sleep(pause * 2**attempt)
    return False, error


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
    # The frame of the edition (sections, links, footer) in each subscriber's language; the
    # articles stay as written. One rendering per language, not per recipient.
    editions: dict[str, mail.RenderedEdition] = {}

    def edition_in(language: str) -> mail.RenderedEdition:
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        if language not in editions:
            with translation.override(language):
                editions[language] = mail.render_edition(mailing.issue, mailing.newsletter)
        return editions[language]

    last = mailing.last_subscriber_id
    while True:
        batch = list(
            Subscriber.objects.active()
            .filter(newsletter_id=mailing.newsletter_id, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "email", "language")[:batch_size]
        )
        if not batch:
            break
        sent, failures, refused = 0, [], []
        connection = get_connection()
        try:
            for subscriber_id, email, language in batch:
                message = mail.edition_message(
                    edition_in(language),
                    subscriber_id=subscriber_id,
                    email=email,
                    connection=connection,
                )
                delivered, error = _deliver(connection, message)
                if delivered:
                    sent += 1
                else:
                    failures.append(
                        DeliveryFailure(
                            mailing_id=mailing.pk,
                            subscriber_id=subscriber_id,
                            error=_describe(error) if error else "",
                        )
                    )
                    if error is not None and _permanent(error):
                        refused.append(subscriber_id)
                pacer.wait()
        finally:
            connection.close()
        last = batch[-1][0]
        DeliveryFailure.objects.bulk_create(failures)
        if refused:
            Subscriber.objects.filter(pk__in=refused).update(bounced_at=timezone.now())
        Mailing.objects.filter(pk=mailing.pk).update(
            sent=F("sent") + sent, failed=F("failed") + len(failures), last_subscriber_id=last
        )
        if failures:
            logger.warning("Mailing %s: %s deliveries failed in a batch", mailing.pk, len(failures))
    Mailing.objects.filter(pk=mailing.pk).update(
        status=MailingStatus.DONE, finished_at=timezone.now()
    )
