"""Mails of concerns, each a task the services queue after the commit: the receipt and each
public update to the reporter (only with consent), the news of a new concern to the
responsible staff (at once, or in the daily digest sent by tasks.digests_send).

Reads models, tokens and selectors, never the services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.concerns import selectors, tokens
from quartier.concerns.models import Concern, CoordinatorSetting, NotifyChoice, Update


def _send(to: str, subject: str, body: str) -> None:
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def _to_reporter(concern: Concern, subject: str, template: str, context: dict) -> None:
    if not (concern.contact_consent and concern.reporter_email):
        return
    with translation.override(concern.language):
        body = render_to_string(
            template,
            {"concern": concern, "track_url": tokens.track_url(concern), **context},
        )
        _send(concern.reporter_email, subject % {"number": concern.number}, body)


@task()
def send_receipt(concern_id: int) -> None:
    concern = Concern.objects.select_related("category", "area").filter(pk=concern_id).first()
    if concern is not None:
        with translation.override(concern.language):
            subject = _("Your concern %(number)s has been received")
        _to_reporter(concern, subject, "concerns/email/receipt.txt", {})


@task()
def send_update(update_id: int) -> None:
    update = Update.objects.select_related("concern__category").filter(pk=update_id).first()
    if update is not None and update.is_public:
        with translation.override(update.concern.language):
            subject = _("News on your concern %(number)s")
        _to_reporter(update.concern, subject, "concerns/email/update.txt", {"update": update})


def backoffice_url(concern: Concern) -> str:
    return settings.SITE_URL + reverse("backoffice:concerns:detail", kwargs={"pk": concern.pk})


@task()
def notify_new(concern_id: int) -> None:
    """Tell the responsible staff who chose "at once" (the default) of a new concern."""
    concern = (
        Concern.objects.select_related("category", "area", "body", "person")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        return
    daily_or_never = CoordinatorSetting.objects.exclude(notify=NotifyChoice.AT_ONCE).values(
        "user_id"
    )
    for user in selectors.responsible_users(concern).exclude(pk__in=daily_or_never):
        body = render_to_string(
            "concerns/email/new.txt",
            {"concerns": [concern], "user": user, "urls": {concern.pk: backoffice_url(concern)}},
        )
        _send(user.email, _("New concern %(number)s") % {"number": concern.number}, body)
    Concern.objects.filter(pk=concern.pk).update(notified_at=timezone.now())


def send_digest(user, concerns: list[Concern]) -> None:
    body = render_to_string(
        "concerns/email/new.txt",
        {"concerns": concerns, "user": user, "urls": {c.pk: backoffice_url(c) for c in concerns}},
    )
    _send(user.email, _("%(n)s new concerns") % {"n": len(concerns)}, body)
