"""Background work for offers: reminding editors of stale entries.

`remind_stale_offers` is enqueued by the `quartier remind_stale_offers` command (run it daily
from cron or a systemd timer); the database worker sends the mails. An offer is mentioned again
only after QUARTIER_OFFER_REMINDER_INTERVAL_DAYS (default 30), however often the command runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from quartier.accounts.models import Role, RoleAssignment
from quartier.offers.models import Offer, OfferStatus, ReviewState
from quartier.offers.selectors import stale_q

REMINDER_INTERVAL_DAYS_DEFAULT = 30


def reminder_interval() -> datetime.timedelta:
    days = getattr(
        settings, "QUARTIER_OFFER_REMINDER_INTERVAL_DAYS", REMINDER_INTERVAL_DAYS_DEFAULT
    )
    return datetime.timedelta(days=int(days))


def _recipients(organisation_ids: set[int]) -> dict[int, set[str]]:
    """E-mail addresses of each organisation's active editors (the organisation's public
    address when it has no editor)."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = (
        RoleAssignment.objects.active()
        .filter(role=Role.EDITOR, organisation_id__in=organisation_ids, user__is_active=True)
        .values_list("organisation_id", "user__email")
    )
    for organisation_id, email in rows:
        if email:
            found[organisation_id].add(email)
    return found


@task()
def remind_stale_offers() -> int:
    """Mail each organisation's editors the list of their stale offers; returns mails sent."""
    now = timezone.now()
    due = (
        Offer.objects.filter(stale_q())
        .filter(review_state=ReviewState.PUBLISHED)
        .exclude(status=OfferStatus.ENDED)
        .filter(
            Q(stale_reminder_sent_at__isnull=True)
            | Q(stale_reminder_sent_at__lt=now - reminder_interval())
        )
        .select_related("organisation")
        .order_by("organisation_id", "name")
    )
    by_organisation: dict[int, list[Offer]] = defaultdict(list)
    for offer in due:
        by_organisation[offer.organisation_id].append(offer)
    recipients = _recipients(set(by_organisation))
    sent = 0
    for organisation_id, offers in by_organisation.items():
        addresses = recipients.get(organisation_id) or {offers[0].organisation.email} - {""}
        if not addresses:
            continue
        _send(offers, sorted(addresses))
        sent += 1
        with transaction.atomic():
            Offer.objects.filter(pk__in=[offer.pk for offer in offers]).update(
                stale_reminder_sent_at=now
            )
    return sent


def _send(offers: list[Offer], addresses: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "organisation": offers[0].organisation,
            "offers": offers,
            "site_url": settings.SITE_URL,
        }
        send_mail(
            subject=_("Please check your offers in Quartier"),
            message=render_to_string("offers/emails/stale_reminder.txt", context),
            from_email=None,
            recipient_list=addresses,
        )
