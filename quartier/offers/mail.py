"""The review's mails: the editor hears that an offer or a change is published or sent back.

services.py calls `notify_decision`, which queues the task through core/tasks.enqueue_on_commit,
so nothing is mailed about a decision that is rolled back. Each recipient gets the mail in the
language they used when they submitted (else settings.LANGUAGE_CODE). Reads models only, never
the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.accounts.models import Role, RoleAssignment
from quartier.core.tasks import enqueue_on_commit
from quartier.offers.models import Offer

PUBLISHED = "published"
RETURNED = "returned"
TAKEN_OFFLINE = "taken_offline"
CHANGE_PUBLISHED = "change_published"
CHANGE_REJECTED = "change_rejected"
DECISIONS = (PUBLISHED, RETURNED, TAKEN_OFFLINE, CHANGE_PUBLISHED, CHANGE_REJECTED)


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def _subject(decision: str, name: str) -> str:
    subjects = {
        PUBLISHED: _('Your offer "%(name)s" is published'),
        RETURNED: _('Your offer "%(name)s" was sent back for changes'),
        TAKEN_OFFLINE: _('Your offer "%(name)s" was taken offline'),
        CHANGE_PUBLISHED: _('Your change to "%(name)s" is published'),
        CHANGE_REJECTED: _('Your change to "%(name)s" was not accepted'),
    }
    return subjects[decision] % {"name": name}


def notify_decision(
    offer: Offer, decision: str, *, by: Any, submitter_id: int | None, language: str, note: str
) -> None:
    """Queue the mail about a review decision for after the commit: to the submitter, or (none
    known) to the organisation's active editors; never to the reviewer who decided."""
    if submitter_id is not None:
        if submitter_id == by.pk:
            return
        recipients: list[list[Any]] = [[submitter_id, language]]
    else:
        editor_ids = (
            RoleAssignment.objects.active()
            .filter(role=Role.EDITOR, organisation_id=offer.organisation_id, user__is_active=True)
            .exclude(user_id=by.pk)
            .values_list("user_id", flat=True)
            .distinct()
        )
        recipients = [[user_id, ""] for user_id in sorted(editor_ids)]
    if recipients:
        enqueue_on_commit(send_review_decision, decision, str(offer.pk), recipients, note)


@task()
def send_review_decision(
    decision: str, offer_id: str, recipients: list[list[Any]], note: str = ""
) -> int:
    """Mail `decision` about the offer to each [user id, language] of `recipients` that is
    still an active account with an address; returns the number of mails sent."""
    if decision not in DECISIONS:
        return 0
    offer = Offer.objects.select_related("organisation").filter(pk=offer_id).first()
    if offer is None:
        return 0
    languages = {int(user_id): str(language or "") for user_id, language in recipients}
    users = get_user_model().objects.filter(pk__in=languages, is_active=True).exclude(email="")
    sent = 0
    for user in users.order_by("pk"):
        with translation.override(_language(languages[user.pk])):
            context = {
                "user": user,
                "offer": offer,
                "decision": decision,
                "note": note,
                "edit_url": settings.SITE_URL
                + reverse("backoffice:offers:edit", kwargs={"pk": offer.pk}),
                "page_url": settings.SITE_URL + offer.get_absolute_url(),
            }
            subject = _subject(decision, offer.name)
            body = render_to_string("offers/emails/review_decision.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
